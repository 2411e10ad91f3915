package query

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// maxListMembers bounds the members decoded into one list or map, so that
// "Tags.member.99999999.Key" cannot make the decoder allocate; no IAM or STS
// list allows more than a few thousand.
const maxListMembers = 10000

// Decode reads the parameters of form into v, a pointer to a generated
// struct whose fields carry `query:"Name"` tags. Members are named as the
// query protocol names them: "RoleName", nested "PermissionsBoundary.X",
// lists "Tags.member.1.Key" counted from 1 ("Tags=" is an empty list), maps
// "Attrs.entry.1.key" and ".value". Parameters v does not know are ignored,
// as the SDKs may be newer than the model; a value of the wrong kind is a
// ValidationError naming the member but not repeating its value.
func Decode(form url.Values, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return apierr.Internal(fmt.Errorf("query: Decode wants a pointer to a struct, not %T", v))
	}
	d := decoder{form: form, prefixes: prefixes(form)}
	return d.structure(rv.Elem(), "", "")
}

type decoder struct {
	form     url.Values
	prefixes map[string]struct{} // every key and every dotted prefix of one
}

// prefixes lists every key of form and each of its dotted prefixes, so that
// the decoder can ask whether anything was sent below a name.
func prefixes(form url.Values) map[string]struct{} {
	set := make(map[string]struct{}, len(form)*2)
	for k := range form {
		set[k] = struct{}{}
		for i := 0; i < len(k); i++ {
			if k[i] == '.' {
				set[k[:i]] = struct{}{}
			}
		}
	}
	return set
}

func (d *decoder) sent(key string) bool {
	_, ok := d.prefixes[key]
	return ok
}

// structure decodes the members of a struct found under key ("" for the
// request); path is the member's name in messages.
func (d *decoder) structure(v reflect.Value, key, path string) error {
	for _, f := range fieldsOf(v.Type()) {
		k, p := f.name, lowerFirst(f.name)
		if key != "" {
			k, p = key+"."+f.name, path+"."+p
		}
		if !d.sent(k) {
			continue
		}
		if err := d.value(v.Field(f.index), k, p); err != nil {
			return err
		}
	}
	return nil
}

// value decodes the parameter or parameters under key into v.
func (d *decoder) value(v reflect.Value, key, path string) error {
	t := v.Type()
	switch {
	case t == timeType:
		return d.scalar(v, key, path)
	case t.Kind() == reflect.Pointer:
		elem := reflect.New(t.Elem())
		if err := d.value(elem.Elem(), key, path); err != nil {
			return err
		}
		v.Set(elem)
		return nil
	case t.Kind() == reflect.Struct:
		return d.structure(v, key, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		return d.list(v, key, path)
	case t.Kind() == reflect.Map:
		return d.dict(v, key, path)
	}
	return d.scalar(v, key, path)
}

func (d *decoder) list(v reflect.Value, key, path string) error {
	s := reflect.MakeSlice(v.Type(), 0, 0)
	for i := 1; ; i++ {
		k := key + ".member." + strconv.Itoa(i)
		if !d.sent(k) {
			break
		}
		if i > maxListMembers {
			return tooMany(path)
		}
		e := reflect.New(v.Type().Elem()).Elem()
		if err := d.value(e, k, path+"."+strconv.Itoa(i)+".member"); err != nil {
			return err
		}
		s = reflect.Append(s, e)
	}
	v.Set(s)
	return nil
}

func (d *decoder) dict(v reflect.Value, key, path string) error {
	m := reflect.MakeMap(v.Type())
	for i := 1; ; i++ {
		k := key + ".entry." + strconv.Itoa(i)
		if !d.sent(k) {
			break
		}
		if i > maxListMembers {
			return tooMany(path)
		}
		name, ok := d.form[k+".key"]
		if !ok {
			return invalid(path, "Map entries must have a key")
		}
		e := reflect.New(v.Type().Elem()).Elem()
		if err := d.value(e, k+".value", path+"."+name[0]); err != nil {
			return err
		}
		m.SetMapIndex(reflect.ValueOf(name[0]), e)
	}
	v.Set(m)
	return nil
}

// scalar decodes one parameter. A parameter sent twice is refused rather
// than one of its values picked.
func (d *decoder) scalar(v reflect.Value, key, path string) error {
	vals, ok := d.form[key]
	if !ok {
		// Only members below key were sent ("RoleName.x=1"): not a value.
		return invalid(path, "Member must be a single value")
	}
	if len(vals) != 1 {
		return invalid(path, "Member must be sent once")
	}
	s := vals[0]
	if !utf8.ValidString(s) {
		return invalid(path, "Member must be valid UTF-8")
	}
	if v.Type() == timeType {
		t, err := parseTime(s)
		if err != nil {
			return invalid(path, "Member must be an ISO 8601 timestamp")
		}
		v.Set(reflect.ValueOf(t))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		switch s {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return invalid(path, "Member must be true or false")
		}
	case reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return invalid(path, "Member must be an integer in range")
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return invalid(path, "Member must be a number")
		}
		v.SetFloat(f)
	case reflect.Slice: // []byte
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return invalid(path, "Member must be base64")
		}
		v.SetBytes(b)
	default:
		return apierr.Internal(fmt.Errorf("query: cannot decode into %s", v.Type()))
	}
	return nil
}

// parseTime reads an ISO 8601 date-time as the SDKs send it, with or
// without fractional seconds, or epoch seconds.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || secs < 0 || secs > 253402300799 {
		return time.Time{}, fmt.Errorf("not a timestamp")
	}
	return time.UnixMilli(int64(secs * 1000)).UTC(), nil
}

func invalid(path, constraint string) error {
	return &apierr.Error{Code: ValidationError, Status: http.StatusBadRequest,
		Message: "1 validation error detected: Value at '" + path + "' failed to satisfy constraint: " + constraint}
}

func tooMany(path string) error {
	return invalid(path, "Member must have length less than or equal to "+strconv.Itoa(maxListMembers))
}

var timeType = reflect.TypeFor[time.Time]()

// field is one tagged member of a generated struct.
type field struct {
	index int
	name  string
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf lists the tagged fields of t, in declaration (the model's) order.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		if name, ok := t.Field(i).Tag.Lookup("query"); ok && t.Field(i).IsExported() {
			fs = append(fs, field{index: i, name: name})
		}
	}
	fieldCache.Store(t, fs)
	return fs
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

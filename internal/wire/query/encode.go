package query

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"reflect"
	"slices"
	"strconv"
	"time"
)

// TimeFormat is how timestamps are written: ISO 8601 in UTC, as IAM and STS
// write them ("2026-01-02T15:04:05Z"), with milliseconds only when there
// are any.
const TimeFormat = "2006-01-02T15:04:05.999Z"

// encodeMembers writes the members of the struct v as XML elements, in the
// model's order. Absent members (nil pointers, lists and maps, empty
// strings) are left out; an empty but non-nil list is written as an empty
// element, as AWS writes an empty list it means.
func encodeMembers(b *bytes.Buffer, v reflect.Value) {
	for _, f := range fieldsOf(v.Type()) {
		encodeElem(b, f.name, v.Field(f.index))
	}
}

func encodeElem(b *bytes.Buffer, name string, v reflect.Value) {
	if absent(v) {
		return
	}
	b.WriteString("<" + name + ">")
	encodeContent(b, v)
	b.WriteString("</" + name + ">")
}

func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return v.IsNil()
	case reflect.String:
		return v.Len() == 0
	}
	return false
}

// encodeContent writes what goes inside the element of v.
func encodeContent(b *bytes.Buffer, v reflect.Value) {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Type() == timeType {
		b.WriteString(v.Interface().(time.Time).UTC().Format(TimeFormat))
		return
	}
	switch v.Kind() {
	case reflect.String:
		escape(b, v.String())
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()))
	case reflect.Struct:
		encodeMembers(b, v)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
			return
		}
		for i := range v.Len() {
			b.WriteString("<member>")
			encodeContent(b, v.Index(i))
			b.WriteString("</member>")
		}
	case reflect.Map:
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteString("<entry><key>")
			escape(b, k)
			b.WriteString("</key><value>")
			encodeContent(b, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
			b.WriteString("</value></entry>")
		}
	default:
		panic("query: cannot encode " + v.Type().String())
	}
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer does not fail
}

package sqlstore

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

// fill sets every field reachable from v to a non-zero value: slices and
// maps get two elements, pointers a value.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint8:
		v.SetUint(uint64(*n % 256))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(e, n)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

// shared reports a path at which a and b share memory.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		if a.IsNil() {
			return ""
		}
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), "*"+path)
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		if a.Pointer() == b.Pointer() {
			return path
		}
		for _, k := range a.MapKeys() {
			if p := shared(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestCloneSettingsDeep fills every field, so a field added to the settings
// later fails here until the clone copies it.
func TestCloneSettingsDeep(t *testing.T) {
	check := func(name string, orig, clone any) {
		t.Helper()
		if !reflect.DeepEqual(orig, clone) {
			t.Errorf("%s: clone differs from the original", name)
		}
		if p := shared(reflect.ValueOf(orig), reflect.ValueOf(clone), name); p != "" {
			t.Errorf("%s: the clone shares %s with the original", name, p)
		}
	}
	var n int
	var ps store.PoolSettings
	fill(reflect.ValueOf(&ps).Elem(), &n)
	check("PoolSettings", ps, clonePoolSettings(ps))
	var cs store.ClientSettings
	fill(reflect.ValueOf(&cs).Elem(), &n)
	check("ClientSettings", cs, cloneClientSettings(cs))
	check("empty PoolSettings", store.PoolSettings{}, clonePoolSettings(store.PoolSettings{}))
}

func TestMemoDecodes(t *testing.T) {
	m := newMemo("clients.settings", cloneClientSettings)
	text := `{"explicitAuthFlows":["ALLOW_USER_SRP_AUTH"],"accessTokenValidity":60}`
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				got, err := m.decode(text)
				if err != nil || got.AccessTokenValidity != 60 || len(got.ExplicitAuthFlows) != 1 {
					t.Errorf("decode = %+v, %v", got, err)
					return
				}
				got.ExplicitAuthFlows[0] = "changed by a caller" // callers own their copy
			}
		}()
	}
	wg.Wait()
	if _, err := m.decode(`{"accessTokenValidity":"sixty"}`); err == nil {
		t.Error("a malformed text decoded")
	}
	for i := range memoMax + 10 {
		if _, err := m.decode(fmt.Sprintf(`{"accessTokenValidity":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.m) > memoMax {
		t.Errorf("memo holds %d texts, more than %d", len(m.m), memoMax)
	}
}

package record

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFieldListsCoverEveryField fills every field of every record kind
// with a value of its own and checks that it survives encoding: a field
// added to a catalog type (or to catalog.IDCounters) but not to its field
// list in fields.go comes back zero and fails here, instead of being
// silently dropped from change records and snapshot files.
func TestFieldListsCoverEveryField(t *testing.T) {
	for code, k := range kinds {
		if k.new == nil {
			continue
		}
		t.Run(k.name, func(t *testing.T) {
			rec := k.new()
			fill(t, reflect.ValueOf(rec).Elem())
			b, err := Encode(&Record{Ops: []Op{Put(rec)}})
			require.NoError(t, err)
			got, err := Decode(b)
			require.NoError(t, err)
			assert.Equal(t, rec, got.Ops[0].Rec, "kind %d", code)
		})
	}
}

// fill sets every field of v, recursively, to a non-zero value that
// differs from field to field.
func fill(t *testing.T, v reflect.Value) {
	n := 0
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		n++
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice:
			s := reflect.MakeSlice(v.Type(), 2, 2)
			for i := range 2 {
				walk(s.Index(i))
			}
			v.Set(s)
		case reflect.String:
			v.SetString(string(rune('a' + n%26)))
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Uint8:
			v.SetUint(uint64(1 + n%3)) // small enumerations
		case reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
			v.SetUint(uint64(100 + n))
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			v.SetInt(int64(100 + n))
		default:
			t.Fatalf("fill: a field of kind %s", v.Kind())
		}
	}
	walk(v)
}

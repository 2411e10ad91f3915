package sqlstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// Times are stored as unix nanoseconds, which both engines keep exactly in a
// 64-bit integer. The zero time is stored as 0 (so the instant of the unix
// epoch itself reads back as the zero time). Times outside the range of
// UnixNano, years 1678 to 2262, are refused rather than stored wrong.
var (
	minTime = time.Unix(0, -1<<63+1)
	maxTime = time.Unix(0, 1<<63-1)
)

// An encoder turns record fields into column values, keeping the first
// error so that a record is checked once after all its fields are encoded.
type encoder struct {
	err error
}

func (e *encoder) time(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	if t.Before(minTime) || t.After(maxTime) {
		e.fail(fmt.Errorf("sqlstore: time %v is outside the storable range", t))
		return 0
	}
	return t.UnixNano()
}

func (e *encoder) json(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		e.fail(fmt.Errorf("sqlstore: encoding %T: %w", v, err))
	}
	return string(b)
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// fromNanos is the inverse of encoder.time. Times come back in UTC.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func decodeJSON(column, text string, v any) error {
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("sqlstore: decoding %s: %w", column, err)
	}
	return nil
}

// nullable returns b, or nil (SQL NULL) for an empty slice.
func nullable(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// associatedData names the row a secret belongs to: the table and the
// primary key, each part prefixed with its length so that no two rows
// produce the same bytes. Sealing with it means ciphertext copied to another
// row, column or table fails to open.
func associatedData(table string, key ...string) []byte {
	b := binary.AppendUvarint(nil, uint64(len(table)))
	b = append(b, table...)
	for _, k := range key {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	return b
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

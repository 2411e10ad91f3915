package sqlstore

import (
	"context"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// AddMessage implements store.OutboxStore. The id is ignored and assigned.
func (s *Store) AddMessage(ctx context.Context, m store.Message) (int64, error) {
	var e encoder
	created := e.time(m.CreatedAt)
	if e.err != nil {
		return 0, e.err
	}
	var id int64
	err := s.writer().QueryRowContext(ctx, `INSERT INTO messages
		(pool_id, username, channel, destination, purpose, subject, body, code, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.PoolID, m.Username, m.Channel, m.Destination, m.Purpose, m.Subject, m.Body, m.Code, created).Scan(&id)
	return id, err
}

// DeleteMessagesBefore implements store.OutboxStore.
func (s *Store) DeleteMessagesBefore(ctx context.Context, before time.Time) (int64, error) {
	var e encoder
	t := e.time(before)
	if e.err != nil {
		return 0, e.err
	}
	return rowsAffected(s.writer().ExecContext(ctx, `DELETE FROM messages WHERE created_at < $1`, t))
}

// ListMessages implements store.OutboxStore.
func (s *Store) ListMessages(ctx context.Context, f store.MessageFilter) ([]store.Message, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, pool_id, username, channel, destination, purpose, subject, body, code, created_at
		FROM messages WHERE ($1 = '' OR pool_id = $1) AND ($2 = '' OR username = $2) ORDER BY id`, f.PoolID, f.Username)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) (store.Message, error) {
		var (
			m       store.Message
			created int64
		)
		err := row.Scan(&m.ID, &m.PoolID, &m.Username, &m.Channel, &m.Destination, &m.Purpose, &m.Subject, &m.Body, &m.Code, &created)
		m.CreatedAt = fromNanos(created)
		return m, err
	})
}

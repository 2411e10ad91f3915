package storetest

import (
	"fmt"
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

var outboxTests = []test{
	{"Outbox/AddList", testOutboxAddList},
	{"Outbox/DeleteBefore", testOutboxDeleteBefore},
}

func testOutboxDeleteBefore(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	var ids []int64
	for n := 1; n <= 4; n++ { // created at minutes 1..4
		id, err := s.AddMessage(ctx, newMessage(poolA, "alice", n))
		must(t, "AddMessage", err)
		ids = append(ids, id)
	}
	n, err := s.DeleteMessagesBefore(ctx, at(3))
	must(t, "DeleteMessagesBefore", err)
	equal(t, "messages deleted", n, int64(2))
	left, err := s.ListMessages(ctx, store.MessageFilter{})
	must(t, "ListMessages", err)
	if len(left) != 2 || left[0].ID != ids[2] || left[1].ID != ids[3] {
		t.Fatalf("messages left = %+v, want the two newest", left)
	}
}

func newMessage(poolID, username string, n int) store.Message {
	return store.Message{
		PoolID:      poolID,
		Username:    username,
		Channel:     "EMAIL",
		Destination: username + "@example.com",
		Purpose:     "SignUp",
		Subject:     "Your verification code",
		Body:        fmt.Sprintf("Your code is %06d", n),
		Code:        fmt.Sprintf("%06d", n),
		CreatedAt:   at(n),
	}
}

func testOutboxAddList(t *testing.T, s store.Store) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	var all []store.Message
	for i, m := range []store.Message{
		newMessage(poolA, "alice", 1),
		newMessage(poolB, "alice", 2),
		newMessage(poolA, "bob", 3),
		newMessage(poolA, "alice", 4),
	} {
		m.ID = 12345 // ignored
		id, err := s.AddMessage(ctx, m)
		must(t, "AddMessage", err)
		if i > 0 && id <= all[i-1].ID {
			t.Fatalf("AddMessage returned id %d after %d", id, all[i-1].ID)
		}
		m.ID = id
		all = append(all, m)
	}
	cases := []struct {
		filter store.MessageFilter
		want   []store.Message
	}{
		{store.MessageFilter{}, all},
		{store.MessageFilter{PoolID: poolA}, []store.Message{all[0], all[2], all[3]}},
		{store.MessageFilter{Username: "alice"}, []store.Message{all[0], all[1], all[3]}},
		{store.MessageFilter{PoolID: poolA, Username: "alice"}, []store.Message{all[0], all[3]}},
		{store.MessageFilter{PoolID: poolB, Username: "bob"}, nil},
	}
	for _, c := range cases {
		got, err := s.ListMessages(ctx, c.filter)
		must(t, "ListMessages", err)
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		equal(t, fmt.Sprintf("ListMessages %+v", c.filter), got, c.want)
	}
}

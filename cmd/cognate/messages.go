package main

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/store"
)

func messagesCommand() *cobra.Command {
	var pool, user string
	cmd := withConfig(&cobra.Command{
		Use:   "messages",
		Short: "Print the messages Cognate sent (verification codes, temporary passwords) as JSON lines, newest last",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, cfg config.Config) error {
		st, err := server.OpenExistingStore(cmd.Context(), cfg, newLogger("error"))
		if err != nil {
			return err
		}
		defer st.Close()
		msgs, err := st.ListMessages(cmd.Context(), store.MessageFilter{PoolID: pool})
		if err != nil {
			return err
		}
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetEscapeHTML(false)
		for _, m := range msgs {
			// --user matches the username or where the message went, so an
			// email used as username finds its messages too.
			if user != "" && m.Username != user && !strings.EqualFold(m.Destination, user) {
				continue
			}
			if err := enc.Encode(messageLine(m)); err != nil {
				return err
			}
		}
		return nil
	})
	cmd.Flags().StringVar(&pool, "pool", "", "only messages of this user pool id")
	cmd.Flags().StringVar(&user, "user", "", "only messages to this username, email or phone number")
	return cmd
}

// message is the JSON line printed for one message.
type message struct {
	ID          int64  `json:"id"`
	Time        string `json:"time"`
	PoolID      string `json:"poolId"`
	Username    string `json:"username"`
	Channel     string `json:"channel"`
	Destination string `json:"destination"`
	Purpose     string `json:"purpose"`
	Subject     string `json:"subject,omitempty"`
	Body        string `json:"body"`
	Code        string `json:"code,omitempty"`
}

func messageLine(m store.Message) message {
	return message{ID: m.ID, Time: m.CreatedAt.UTC().Format(time.RFC3339Nano), PoolID: m.PoolID, Username: m.Username,
		Channel: m.Channel, Destination: m.Destination, Purpose: m.Purpose, Subject: m.Subject, Body: m.Body, Code: m.Code}
}

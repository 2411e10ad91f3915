package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/store"
)

func messagesCommand() *cobra.Command {
	var pool, user string
	var codeOnly bool
	cmd := withConfig(&cobra.Command{
		Use:   "messages",
		Short: "Print the messages Cognate sent (verification codes, temporary passwords) as JSON lines, newest last",
		Long: `messages prints the messages Cognate kept in its outbox (every message, unless --smtp-url sends
email elsewhere) as JSON lines, oldest first. --pool and --user narrow them down; --code prints
only the code of the newest message that has one, for scripts:

    code=$(cognate messages --pool us-east-1_XXXXXXXXX --user alice --code)`,
		Args: cobra.NoArgs,
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
		// --user matches the username or where the message went, so an
		// email used as username finds its messages too.
		msgs = slices.DeleteFunc(msgs, func(m store.Message) bool {
			return user != "" && m.Username != user && !strings.EqualFold(m.Destination, user)
		})
		if codeOnly {
			for _, m := range slices.Backward(msgs) {
				if m.Code != "" {
					_, err := fmt.Fprintln(cmd.OutOrStdout(), m.Code)
					return err
				}
			}
			return fmt.Errorf("no message with a code %s", describeFilter(pool, user))
		}
		if len(msgs) == 0 {
			// stdout stays empty for scripts; a person learns why.
			fmt.Fprintf(cmd.ErrOrStderr(), "cognate messages: no messages %s\n", describeFilter(pool, user))
			return nil
		}
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetEscapeHTML(false)
		for _, m := range msgs {
			if err := enc.Encode(messageLine(m)); err != nil {
				return err
			}
		}
		return nil
	})
	cmd.Flags().StringVar(&pool, "pool", "", "only messages of this user pool id")
	cmd.Flags().StringVar(&user, "user", "", "only messages to this username, email or phone number")
	cmd.Flags().BoolVar(&codeOnly, "code", false, "print only the code of the newest message that has one (fail if none has)")
	return cmd
}

// describeFilter says which messages were looked at, for a message that
// none was found.
func describeFilter(pool, user string) string {
	s := "in the outbox"
	if pool != "" {
		s += " for pool " + pool
	}
	if user != "" {
		s += " to " + user
	}
	return s
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

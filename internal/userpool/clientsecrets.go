package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// maxClientSecrets is how many secrets a client may have at once: two, so
// that one can be rotated without downtime.
const maxClientSecrets = 2

// secretID names a client secret as Cognito does, "<client id>--<creation
// time>", in Unix seconds, moved on by a second when taken.
func secretID(clientID string, at time.Time, taken []store.ClientSecret) string {
	for t := at.Unix(); ; t++ {
		id := fmt.Sprintf("%s--%d", clientID, t)
		if !slices.ContainsFunc(taken, func(s store.ClientSecret) bool { return s.ID == id }) {
			return id
		}
	}
}

// AddClientSecret gives a confidential client a second secret, the one
// given or a generated one, for rotation.
func (s *Service) AddClientSecret(ctx context.Context, poolID, clientID, value string) (store.ClientSecret, error) {
	var added store.ClientSecret
	err := s.changeClientSecrets(ctx, poolID, clientID, func(secrets []store.ClientSecret) ([]store.ClientSecret, error) {
		switch {
		case len(secrets) == 0:
			return nil, apierr.Newf(apierr.InvalidParameter, "Client %s has no secret: secrets can be added only to a client created with one.", clientID)
		case len(secrets) >= maxClientSecrets:
			return nil, apierr.Newf(apierr.LimitExceeded, "Client %s already has %d secrets; delete one first.", clientID, maxClientSecrets)
		}
		now := s.clock()
		added = store.ClientSecret{ID: secretID(clientID, now, secrets), Value: value, CreatedAt: now, Custom: value != ""}
		if value == "" {
			added.Value = s.newClientSecret()
		}
		return append(secrets, added), nil
	})
	return added, err
}

// ClientSecrets returns a client's secrets, oldest first.
func (s *Service) ClientSecrets(ctx context.Context, poolID, clientID string) ([]store.ClientSecret, error) {
	c, err := s.Client(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	return c.Secrets, nil
}

// DeleteClientSecret removes one of a client's secrets; the last one stays.
func (s *Service) DeleteClientSecret(ctx context.Context, poolID, clientID, secretID string) error {
	return s.changeClientSecrets(ctx, poolID, clientID, func(secrets []store.ClientSecret) ([]store.ClientSecret, error) {
		i := slices.IndexFunc(secrets, func(sec store.ClientSecret) bool { return sec.ID == secretID })
		switch {
		case i < 0:
			return nil, apierr.Newf(apierr.ResourceNotFound, "Client secret %s does not exist.", secretID)
		case len(secrets) == 1:
			return nil, apierr.New(apierr.InvalidParameter, "The last secret of a client cannot be deleted.")
		}
		return slices.Delete(secrets, i, i+1), nil
	})
}

func (s *Service) changeClientSecrets(ctx context.Context, poolID, clientID string, change func([]store.ClientSecret) ([]store.ClientSecret, error)) error {
	if _, err := s.Client(ctx, poolID, clientID); err != nil {
		return err
	}
	_, err := s.store.UpdateClient(ctx, clientID, func(c store.Client) (store.Client, error) {
		secrets, err := change(slices.Clone(c.Secrets))
		if err != nil {
			return c, err
		}
		c.Secrets = secrets
		c.UpdatedAt = s.clock()
		return c, nil
	})
	var ae *apierr.Error
	switch {
	case err == nil || errors.As(err, &ae):
		return err
	case isNotFound(err):
		return clientNotFound(clientID)
	}
	return apierr.Internal(err)
}

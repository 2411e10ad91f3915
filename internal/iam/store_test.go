package iam_test

import (
	"testing"

	"github.com/cognate-auth/cognate/internal/store"
)

func openStore(tb testing.TB) store.IAMStore { return newMem() }

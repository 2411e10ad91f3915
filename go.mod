module github.com/cognate-auth/cognate

go 1.26.0

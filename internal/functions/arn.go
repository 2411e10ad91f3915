package functions

import (
	"fmt"
	"regexp"
	"strings"
)

// ARN is a Lambda function's ARN, arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>].
type ARN struct {
	Partition string
	Region    string
	Account   string
	Name      string
	Qualifier string // a version or alias; empty for the unqualified function
}

var (
	partitionRE = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	regionRE    = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$`)
	accountRE   = regexp.MustCompile(`^\d{12}$`)
	nameRE      = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	qualifierRE = regexp.MustCompile(`^(\$LATEST|[a-zA-Z0-9_-]{1,128})$`)
)

// ParseARN validates a function ARN as Cognito's LambdaConfig accepts it.
func ParseARN(s string) (ARN, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 7 && len(parts) != 8 {
		return ARN{}, fmt.Errorf("%w: %q is not arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]", ErrInvalidARN, s)
	}
	a := ARN{Partition: parts[1], Region: parts[3], Account: parts[4], Name: parts[6]}
	if len(parts) == 8 {
		a.Qualifier = parts[7]
	}
	var bad string
	switch {
	case parts[0] != "arn":
		bad = "prefix"
	case !partitionRE.MatchString(a.Partition):
		bad = "partition"
	case parts[2] != "lambda":
		bad = "service"
	case !regionRE.MatchString(a.Region):
		bad = "region"
	case !accountRE.MatchString(a.Account):
		bad = "account"
	case parts[5] != "function":
		bad = "resource type"
	case !nameRE.MatchString(a.Name):
		bad = "function name"
	case len(parts) == 8 && !qualifierRE.MatchString(a.Qualifier):
		bad = "qualifier"
	}
	if bad != "" {
		return ARN{}, fmt.Errorf("%w: %q has an invalid %s", ErrInvalidARN, s, bad)
	}
	return a, nil
}

// String is the ARN's text.
func (a ARN) String() string {
	s := "arn:" + a.Partition + ":lambda:" + a.Region + ":" + a.Account + ":function:" + a.Name
	if a.Qualifier != "" {
		s += ":" + a.Qualifier
	}
	return s
}

// Unqualified is the ARN without its qualifier.
func (a ARN) Unqualified() ARN {
	a.Qualifier = ""
	return a
}

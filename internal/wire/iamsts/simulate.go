package iamsts

import (
	"net/http"
	"strconv"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/iam"
	"github.com/cognate-auth/cognate/internal/wire/iamapi"
)

func simulationInput(source string, policies, actions, resources []string, entries []iamapi.ContextEntry) iam.SimulationInput {
	in := iam.SimulationInput{PolicySourceARN: source, Policies: policies, ActionNames: actions, ResourceARNs: resources}
	for _, e := range entries {
		in.ContextEntries = append(in.ContextEntries, iam.ContextEntry{Key: e.ContextKeyName, Values: e.ContextKeyValues, Type: e.ContextKeyType})
	}
	return in
}

// simulationUnsupported refuses the simulator's inputs Cognate does not
// evaluate, rather than answer as if they were not there.
func simulationUnsupported(boundaries []string, resourcePolicy, callerARN string) error {
	switch {
	case len(boundaries) > 0:
		return unsupportedParameter("PermissionsBoundaryPolicyInputList")
	case resourcePolicy != "":
		return unsupportedParameter("ResourcePolicy")
	case callerARN != "":
		return unsupportedParameter("CallerArn")
	}
	return nil
}

// simulationPage pages results, one per action; the marker is the index
// of the next one.
func simulationPage(res []iam.EvaluationResult, marker string, maxItems *int32) (*iamapi.SimulatePolicyResponse, error) {
	start := 0
	if marker != "" {
		n, err := strconv.Atoi(marker)
		if err != nil || n < 0 || n > len(res) {
			return nil, &apierr.Error{Code: iam.CodeInvalidInput, Status: http.StatusBadRequest, Message: "Invalid Marker."}
		}
		start = n
	}
	end := len(res)
	if maxItems != nil && start+int(*maxItems) < end {
		end = start + int(*maxItems)
	}
	out := &iamapi.SimulatePolicyResponse{EvaluationResults: make([]iamapi.EvaluationResult, 0, end-start), IsTruncated: new(bool)}
	if end < len(res) {
		*out.IsTruncated = true
		out.Marker = strconv.Itoa(end)
	}
	for _, r := range res[start:end] {
		er := iamapi.EvaluationResult{EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision,
			MatchedStatements: statements(r.Matched), MissingContextValues: r.MissingContext}
		if len(r.Resources) > 0 {
			// Present and empty within one account, as IAM sends it.
			er.EvalDecisionDetails = map[string]string{}
		}
		for _, rr := range r.Resources {
			er.ResourceSpecificResults = append(er.ResourceSpecificResults, iamapi.ResourceSpecificResult{
				EvalResourceName: rr.Resource, EvalResourceDecision: rr.Decision,
				MatchedStatements: statements(rr.Matched), MissingContextValues: rr.MissingContext})
		}
		out.EvaluationResults = append(out.EvaluationResults, er)
	}
	return out, nil
}

func statements(ms []iam.MatchedStatement) []iamapi.Statement {
	out := make([]iamapi.Statement, len(ms))
	for i, m := range ms {
		out[i] = iamapi.Statement{SourcePolicyId: m.SourcePolicyID, SourcePolicyType: m.SourcePolicyType,
			StartPosition: position(m.Start.Line, m.Start.Column), EndPosition: position(m.End.Line, m.End.Column)}
	}
	return out
}

func position(line, col int) *iamapi.Position {
	l, c := int32(line), int32(col)
	return &iamapi.Position{Line: &l, Column: &c}
}

func unsupportedParameter(name string) error {
	return &apierr.Error{Code: iam.CodeInvalidInput, Status: http.StatusBadRequest, Message: name + " is not supported by Cognate yet."}
}

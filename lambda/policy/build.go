package policy

import (
	"slices"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// The inline policies a role may have, one per concern.
const (
	PolicyS3                = "GroundTruthS3"
	PolicyCloudWatch        = "GroundTruthCloudWatch"
	PolicyStreaming         = "GroundTruthStreaming"
	PolicyLambda            = "GroundTruthLambda"
	PolicyKMS               = "GroundTruthKms"
	PolicyAutomatedLabeling = "GroundTruthAutomatedLabeling"
)

// Scope is the account, partition and region a role is made in.
type Scope struct {
	Account   string
	Partition string
	Region    string // where the jobs' regional resources live (VPC subnets); empty: any region ("*")
}

// region is the scope's region, or "*" when it is not known.
func (s Scope) region() string {
	if s.Region == "" {
		return "*"
	}
	return s.Region
}

// Build returns the role IAM should hold for the spec; name is the role's name, declared or generated.
// It fails only when the result would exceed one of IAM's quotas or hold a character IAM refuses in a document.
func Build(s spec.Spec, scope Scope, name string) (iamdoc.Role, error) {
	r := iamdoc.Role{
		RoleName:                 name,
		Path:                     s.Path,
		Description:              s.Description,
		MaxSessionDuration:       s.MaxSessionDuration,
		PermissionsBoundary:      s.PermissionsBoundary,
		AssumeRolePolicyDocument: trust(s, scope),
		ManagedPolicyArns:        managed(s, scope),
	}
	for _, t := range s.Tags {
		r.Tags = append(r.Tags, iamdoc.Tag{Key: t.Key, Value: t.Value})
	}
	slices.SortFunc(r.Tags, func(a, b iamdoc.Tag) int { return strings.Compare(a.Key, b.Key) })

	add := func(name string, statements ...iamdoc.Statement) {
		if len(statements) > 0 {
			r.Policies = append(r.Policies, iamdoc.InlinePolicy{PolicyName: name, PolicyDocument: iamdoc.Document{Version: iamdoc.Version, Statement: statements}})
		}
	}
	add(PolicyS3, s3Statements(s, scope)...)
	add(PolicyCloudWatch, cloudWatchStatement())
	add(PolicyStreaming, streamingStatements(s, scope)...)
	add(PolicyLambda, lambdaStatements(s)...)
	add(PolicyKMS, kmsStatements(s)...)
	add(PolicyAutomatedLabeling, slices.Concat(passRoleStatements(s, scope, name), vpcStatements(s, scope))...)
	slices.SortFunc(r.Policies, func(a, b iamdoc.InlinePolicy) int { return strings.Compare(a.PolicyName, b.PolicyName) })

	if err := checkQuotas(r); err != nil {
		return iamdoc.Role{}, err
	}
	if err := r.CheckCharset(); err != nil {
		return iamdoc.Role{}, err
	}
	return r, nil
}

// ARN returns the ARN of a role with this path and name.
func ARN(scope Scope, path, name string) string {
	return "arn:" + scope.Partition + ":iam::" + scope.Account + ":role" + path + name
}

func managed(s spec.Spec, scope Scope) []string {
	arns := slices.Clone(s.ManagedPolicyArns)
	if s.UseManagedPolicy {
		arns = append(arns, spec.GroundTruthManagedPolicy(scope.Partition))
	}
	out := iamdoc.NewStrings(arns...)
	if len(out) == 0 {
		return nil
	}
	return out
}

package spec

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// known lists every property a Custom::GroundTruthExecutionRole accepts, in documentation order (the contract's).
var known = contract.Names()

// Parse validates the properties for the target and returns the typed spec, or Problems listing everything wrong.
func Parse(props map[string]any, t Target) (Spec, error) {
	var c collector
	partition := t.partition()
	switch region := PartitionOf(t.Region); {
	case region == "":
		c.add("region", t.Region, "is not an AWS region name of any partition the provider knows (%s)", strings.Join(Partitions(), ", "))
	case region != partition:
		c.add("region", t.Region, "is a region of partition %q, but the role is made in partition %q", region, partition)
	}
	if !validAccount(t.Account) {
		c.add("account", t.Account, "is not a 12-digit AWS account ID")
	}
	var unknown []string
	for name := range props {
		if !slices.Contains(known, name) && !slices.Contains(contract.Ignored, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		c.add(name, "", "is not a property of Custom::GroundTruthExecutionRole (check the spelling; known properties: %s)", strings.Join(known, ", "))
	}

	p := parser{collector: &c, props: props, partition: partition, target: t}
	s := Spec{
		RoleName:                     p.roleName(),
		Path:                         p.path(),
		Description:                  p.description(),
		MaxSessionDuration:           p.sessionDuration(),
		PermissionsBoundary:          p.boundary(),
		Tags:                         p.tags(),
		InputBuckets:                 p.buckets("InputBuckets"),
		OutputBuckets:                p.buckets("OutputBuckets"),
		StreamingInputTopicArns:      p.arns("StreamingInputTopicArns", checkTopicArn),
		StreamingOutputTopicArns:     p.arns("StreamingOutputTopicArns", checkTopicArn),
		PreAnnotationLambdaArns:      p.arns("PreAnnotationLambdaArns", checkFunctionArn),
		PostAnnotationLambdaArns:     p.arns("PostAnnotationLambdaArns", checkFunctionArn),
		PostAnnotationLambdaRoleArns: p.roleArns(),
		AutomatedLabeling:            p.boolean("AutomatedLabeling"),
		KmsKeyArns:                   p.arns("KmsKeyArns", checkKeyArn),
		VolumeKmsKeyArns:             p.arns("VolumeKmsKeyArns", checkKeyArn),
		UseManagedPolicy:             p.boolean("UseManagedPolicy"),
		ManagedPolicyArns:            p.managedPolicies(),
		ConfusedDeputyProtection:     p.boolean("ConfusedDeputyProtection"),
		ReconcileToken:               p.reconcileToken(),
		VpcConfig:                    p.vpcConfig(),
		ResourceAccounts:             t.Settings.resourceAccounts(t.Account),
	}
	p.crossChecks(s)
	if c.problems != nil {
		return Spec{}, c.problems
	}
	return s, nil
}

type parser struct {
	*collector
	props     map[string]any
	partition string
	target    Target
}

// get returns the property's value; an absent, null or empty-string property counts as absent.
func (p parser) get(name string) (any, bool) {
	v, ok := p.props[name]
	if !ok || v == nil {
		return nil, false
	}
	if s, isString := v.(string); isString && strings.TrimSpace(s) == "" {
		return nil, false
	}
	return v, true
}

func (p parser) text(name string) (string, bool) {
	v, ok := p.get(name)
	if !ok {
		return "", false
	}
	return p.str(name, v)
}

func (p parser) roleName() string {
	name, ok := p.text("RoleName")
	if ok && p.policyText("RoleName", name) && !contract.ValidRoleName(name) {
		p.add("RoleName", name, "is not a valid IAM role name: want 1-%d letters, digits and %s (or leave RoleName out to get a generated name)", contract.MaxRoleNameLength, contract.RoleNameSymbols)
	}
	return name
}

func (p parser) path() string {
	path, ok := p.text("Path")
	if !ok {
		path = p.target.Settings.DefaultPath()
	}
	prefix := p.target.Settings.RolePathPrefix
	switch {
	case !p.policyText("Path", path):
	case !contract.ValidPath(path):
		p.add("Path", path, "is not an allowed role path: want / or /segment/…/ (at most %d characters; segments of letters, digits and %s)", contract.MaxPathLength, contract.PathSymbols)
	case prefix != "" && !strings.HasPrefix(path, prefix):
		p.add("Path", path, "is outside the provider's role path prefix %q: use %q or a path below it", prefix, prefix)
	}
	return path
}

func (p parser) description() string {
	d, ok := p.text("Description")
	switch {
	case !ok:
	case utf8.RuneCountInString(d) > contract.MaxDescriptionLength:
		p.add("Description", d, "is %d characters long: IAM allows at most %d", utf8.RuneCountInString(d), contract.MaxDescriptionLength)
	case !validDescription(d):
		p.add("Description", d, "has characters IAM does not allow in a description: use printable Latin-1 characters, tabs and newlines")
	}
	return d
}

// reconcileToken accepts any string of at most contract.MaxReconcileTokenLength characters; it never reaches the role.
func (p parser) reconcileToken() string {
	t, ok := p.text(contract.ReconcileToken)
	if n := utf8.RuneCountInString(t); ok && n > contract.MaxReconcileTokenLength {
		p.add(contract.ReconcileToken, t, "is %d characters long: at most %d are allowed (any string; change it to make CloudFormation send an Update that restores the declared role)", n, contract.MaxReconcileTokenLength)
	}
	return t
}

func (p parser) sessionDuration() int32 {
	v, ok := p.get("MaxSessionDuration")
	if !ok {
		return 0
	}
	n, ok := p.integer("MaxSessionDuration", v)
	if !ok {
		p.problems[len(p.problems)-1].Message += fmt.Sprintf(": give seconds from %d to %d", contract.MinSessionSeconds, contract.MaxSessionSeconds)
		return 0
	}
	if n < contract.MinSessionSeconds || n > contract.MaxSessionSeconds {
		p.add("MaxSessionDuration", fmt.Sprint(n), "is out of range: IAM allows %d to %d seconds (1 to 12 hours)", contract.MinSessionSeconds, contract.MaxSessionSeconds)
		return 0
	}
	return int32(n)
}

func (p parser) boundary() string {
	b, ok := p.text("PermissionsBoundary")
	required := p.target.Settings.RequiredPermissionsBoundary
	if ok && b != required {
		if msg := checkPolicyArn(b, p.partition, p.target.Account, true); msg != "" {
			p.add("PermissionsBoundary", b, "%s", msg)
		} else if required != "" && b != required {
			p.add("PermissionsBoundary", b, "differs from the boundary this provider requires (%s): leave PermissionsBoundary out or set it to that ARN", required)
		}
	}
	if required != "" {
		return required
	}
	return b
}

func (p parser) tags() []Tag {
	v, ok := p.get("Tags")
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		p.add("Tags", "", "must be a list of {Key, Value} objects, got %s", kind(v))
		return nil
	}
	if len(list) > contract.MaxUserTags {
		p.add("Tags", "", "has %d tags: at most %d are allowed (IAM's %d per role, less the provider's %d reserved tags: ownership, creating token and drift record)", len(list), contract.MaxUserTags, contract.MaxTagsPerRole, contract.OwnershipTags+contract.CreatingTags+contract.RecordTags)
	}
	var tags []Tag
	seen := map[string]bool{}
	for i, item := range list {
		name := fmt.Sprintf("Tags[%d]", i)
		obj, isObj := item.(map[string]any)
		if !isObj {
			p.add(name, "", "must be an object with Key and Value, got %s", kind(item))
			continue
		}
		for k := range obj {
			if k != "Key" && k != "Value" {
				p.add(name+"."+k, "", "is not a tag field: a tag has only Key and Value")
			}
		}
		key, _ := p.str(name+".Key", obj["Key"])
		val := ""
		if raw, has := obj["Value"]; has && raw != nil {
			val, _ = p.str(name+".Value", raw)
		}
		if msg := checkTagKey(key); msg != "" {
			p.add(name+".Key", key, "%s", msg)
		}
		if msg := checkTagValue(val); msg != "" {
			p.add(name+".Value", val, "%s", msg)
		}
		if seen[strings.ToLower(key)] {
			p.add(name+".Key", key, "repeats an earlier tag key (IAM tag keys are case-insensitive): each key may appear once")
		}
		seen[strings.ToLower(key)] = true
		tags = append(tags, Tag{Key: key, Value: val})
	}
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
	return tags
}

func (p parser) list(name string) []string {
	v, ok := p.get(name)
	if !ok {
		return nil
	}
	return p.strings(name, v)
}

func (p parser) buckets(name string) []S3Location {
	var out []S3Location
	for i, value := range p.list(name) {
		item := fmt.Sprintf("%s[%d]", name, i)
		if !p.policyText(item, value) {
			continue
		}
		loc, msg := parseS3Location(strings.TrimSpace(value), p.partition)
		if msg != "" {
			p.add(fmt.Sprintf("%s[%d]", name, i), value, "%s", msg)
			continue
		}
		out = append(out, loc)
	}
	return out
}

func (p parser) arns(name string, check func(value, partition string) string) []string {
	var out []string
	for i, value := range p.list(name) {
		value = strings.TrimSpace(value)
		if !p.policyText(fmt.Sprintf("%s[%d]", name, i), value) {
			continue
		}
		if msg := check(value, p.partition); msg != "" {
			p.add(fmt.Sprintf("%s[%d]", name, i), value, "%s", msg)
			continue
		}
		if a, _ := splitARN(value); !slices.Contains(p.target.Settings.resourceAccounts(p.target.Account), a.AccountID) {
			p.add(fmt.Sprintf("%s[%d]", name, i), value, "is in account %s, outside the role's account %s and the provider's %s (%s): a role may only name resources of those accounts; the provider's operator can add the account to %s",
				a.AccountID, p.target.Account, contract.EnvAllowedResourceAccounts, listOrNone(p.target.Settings.AllowedResourceAccounts), contract.EnvAllowedResourceAccounts)
			continue
		}
		out = append(out, value)
	}
	return out
}

// roleArns reads PostAnnotationLambdaRoleArns: IAM role ARNs of the role's own account, whatever
// ALLOWED_RESOURCE_ACCOUNTS says, since each gains sts:AssumeRole on the role.
func (p parser) roleArns() []string {
	name := contract.PostAnnotationLambdaRoleArns
	var out []string
	for i, value := range p.list(name) {
		value = strings.TrimSpace(value)
		item := fmt.Sprintf("%s[%d]", name, i)
		if !p.policyText(item, value) {
			continue
		}
		if msg := checkRoleArn(value, p.partition, p.target.Account); msg != "" {
			p.add(item, value, "%s", msg)
			continue
		}
		out = append(out, value)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// listOrNone is a comma-separated list, or "none set".
func listOrNone(values []string) string {
	if len(values) == 0 {
		return "none set"
	}
	return strings.Join(values, ", ")
}

func (p parser) boolean(name string) bool {
	v, ok := p.get(name)
	if !ok {
		return false
	}
	return p.collector.boolean(name, v)
}

func (p parser) managedPolicies() []string {
	allowed := p.target.Settings.AllowedManagedPolicyArns
	var out []string
	for i, value := range p.list("ManagedPolicyArns") {
		value = strings.TrimSpace(value)
		if !slices.Contains(allowed, value) {
			p.add(fmt.Sprintf("ManagedPolicyArns[%d]", i), value, "is not on this provider's allow-list of managed policies (%s): the provider only attaches policies its operator allowed", strings.Join(allowed, ", "))
			continue
		}
		out = append(out, value)
	}
	return out
}

// crossChecks covers rules that involve more than one property.
func (p parser) crossChecks(s Spec) {
	if s.UseManagedPolicy {
		if gt := GroundTruthManagedPolicy(p.partition); !slices.Contains(p.target.Settings.AllowedManagedPolicyArns, gt) {
			p.add("UseManagedPolicy", "true", "needs %s, which is not on this provider's allow-list of managed policies", gt)
		}
	}
	if len(s.OutputBuckets) == 0 && !p.has("OutputBuckets") {
		p.add("OutputBuckets", "", "is required: Ground Truth writes its output to S3; give at least one bucket or bucket/prefix")
	}
	if len(s.InputBuckets) == 0 && !p.has("InputBuckets") && !p.has("StreamingInputTopicArns") {
		p.add("InputBuckets", "", "is required unless StreamingInputTopicArns is set: give at least one bucket or bucket/prefix holding the input data")
	}
	if len(s.StreamingOutputTopicArns) > 0 && !p.has("StreamingInputTopicArns") {
		p.add("StreamingOutputTopicArns", "", "needs StreamingInputTopicArns: an output topic is only used by a streaming labeling job")
	}
	if p.has(contract.VpcConfig) && !s.AutomatedLabeling {
		p.add(contract.VpcConfig, "", "is only used by automated data labeling's training and inference jobs: set AutomatedLabeling to true or remove VpcConfig")
	}
	if len(s.PostAnnotationLambdaRoleArns) > 0 && len(s.PostAnnotationLambdaArns) == 0 && !p.has(contract.PostAnnotationLambdaArns) {
		p.add(contract.PostAnnotationLambdaRoleArns, "", "needs %s: only a post-annotation Lambda the job invokes assumes the role", contract.PostAnnotationLambdaArns)
	}
	if len(s.VolumeKmsKeyArns) > 0 && !s.AutomatedLabeling {
		p.add("VolumeKmsKeyArns", "", "is only used by automated data labeling's training and inference volumes: set AutomatedLabeling to true or remove VolumeKmsKeyArns")
	}
}

// has reports whether a property was given at all, so that a bad value is not also reported as missing.
func (p parser) has(name string) bool {
	v, ok := p.get(name)
	if !ok {
		return false
	}
	if l, isList := v.([]any); isList {
		return len(l) > 0
	}
	return true
}

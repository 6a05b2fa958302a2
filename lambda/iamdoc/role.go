package iamdoc

// Role is the execution role IAM should hold; its JSON form has the shape of AWS::IAM::Role properties.
type Role struct {
	RoleName                 string         `json:"RoleName,omitempty"`
	Path                     string         `json:"Path,omitempty"`
	Description              string         `json:"Description,omitempty"`
	MaxSessionDuration       int32          `json:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      string         `json:"PermissionsBoundary,omitempty"`
	Tags                     []Tag          `json:"Tags,omitempty"`
	AssumeRolePolicyDocument Document       `json:"AssumeRolePolicyDocument"`
	Policies                 []InlinePolicy `json:"Policies,omitempty"`
	ManagedPolicyArns        []string       `json:"ManagedPolicyArns,omitempty"`
}

// Tag is one IAM tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// InlinePolicy is a named inline policy of the role.
type InlinePolicy struct {
	PolicyName     string   `json:"PolicyName"`
	PolicyDocument Document `json:"PolicyDocument"`
}

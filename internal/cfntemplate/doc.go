// Package cfntemplate resolves a CloudFormation YAML (or JSON) template the way
// CloudFormation would before it calls a custom resource: it binds parameter
// values (given values, then Defaults, with CommaDelimitedList and List<…>
// handling and the AllowedPattern/AllowedValues/length/value checks),
// pseudo parameters, Conditions and intrinsic functions (short `!Tag` and long
// `Fn::` forms), and returns a resource's Properties as the value tree that a
// custom-resource event carries in ResourceProperties: every scalar is a
// string, lists are []any and objects are map[string]any.
//
// Typical use in a test:
//
//	tmpl, err := cfntemplate.LoadFile("templates/streaming.yaml")
//	stack, err := tmpl.Bind(cfntemplate.Context{
//		Parameters: map[string]string{"OutputBuckets": "out-bucket"},
//		Partition:  "aws", Region: "us-east-1", AccountID: "123456789012",
//		StackName:  "test", StackID: "arn:aws:cloudformation:…",
//		ImportValue: func(name string) (string, error) { … },
//	})
//	props, err := stack.ResourceProperties("ExecutionRole")
//
// References to other resources (Ref on a resource, Fn::GetAtt) are answered
// by the Context's Ref and GetAtt callbacks; Fn::ImportValue by ImportValue.
// Fn::GetAZs, Fn::Cidr, Fn::Transform and the language-extension functions are
// not supported and are reported as errors.
package cfntemplate

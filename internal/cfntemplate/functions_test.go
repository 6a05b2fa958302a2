package cfntemplate

import "testing"

func TestScalars(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "plain string", expr: "hello", want: "hello"},
		{name: "integer becomes a string", expr: "3600", want: "3600"},
		{name: "quoted number", expr: `"3600"`, want: "3600"},
		{name: "boolean becomes a lower-case string", expr: "True", want: "true"},
		{name: "null", expr: "null", want: nil},
		{name: "list", expr: "[a, 1, false]", want: []any{"a", "1", "false"}},
		{name: "mapping", expr: "{Key: k, Value: 1}", want: map[string]any{"Key": "k", "Value": "1"}},
	})
}

func TestRef(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "string parameter default", expr: "!Ref Name", want: "gt"},
		{name: "string parameter given", expr: "!Ref Name", params: map[string]string{"Name": "x"}, want: "x"},
		{name: "number parameter is a string", expr: "!Ref Count", want: "2"},
		{name: "comma-delimited list", expr: "!Ref Buckets", want: []any{"in", "out"}},
		{name: "comma-delimited list given", expr: "!Ref Buckets", params: map[string]string{"Buckets": "a,b/c,d"}, want: []any{"a", "b/c", "d"}},
		{name: "empty comma-delimited list", expr: "!Ref Empty", want: []any{""}},
		{name: "long form", expr: `{"Ref": "Name"}`, want: "gt"},
		{name: "partition", expr: "!Ref AWS::Partition", want: "aws"},
		{name: "region", expr: "!Ref AWS::Region", want: "us-east-1"},
		{name: "account", expr: "!Ref AWS::AccountId", want: "123456789012"},
		{name: "stack name", expr: "!Ref AWS::StackName", want: "st"},
		{name: "stack id", expr: "!Ref AWS::StackId", want: "arn:aws:cloudformation:us-east-1:123456789012:stack/st/guid"},
		{name: "url suffix", expr: "!Ref AWS::URLSuffix", want: "amazonaws.com"},
		{name: "notification ARNs", expr: "!Ref AWS::NotificationARNs", want: []any{}},
		{name: "NoValue removes the property", expr: "!Ref AWS::NoValue", absent: true},
		{name: "NoValue removes a list element", expr: "[a, !Ref AWS::NoValue, b]", want: []any{"a", "b"}},
		{name: "NoValue removes a mapping entry", expr: "{A: a, B: !Ref AWS::NoValue}", want: map[string]any{"A": "a"}},
		{name: "resource", expr: "!Ref Other", want: "Other-physical"},
		{name: "unknown name", expr: "!Ref Nope", errPath: "Resources.R.Properties.Value.Ref"},
		{name: "unknown pseudo parameter", expr: "!Ref AWS::Nope", errPath: "Resources.R.Properties.Value.Ref"},
		{name: "non-literal argument", expr: "!Ref [Name]", errPath: "Resources.R.Properties.Value.Ref"},
	})
}

func TestSub(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "parameter and pseudo parameters", expr: `!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}*"`, want: "arn:aws:iam::123456789012:role/gt*"},
		{name: "no variables", expr: "!Sub plain", want: "plain"},
		{name: "variable map", expr: `!Sub ["${A}-${Name}", {A: !Ref AWS::Region}]`, want: "us-east-1-gt"},
		{name: "variable map shadows a parameter", expr: `!Sub ["${Name}", {Name: local}]`, want: "local"},
		{name: "literal", expr: `!Sub "${!Literal}-${Name}"`, want: "${Literal}-gt"},
		{name: "attribute", expr: `!Sub "${Other.Arn}/x"`, want: "arn:Other/x"},
		{name: "resource Ref", expr: `!Sub "${Other}"`, want: "Other-physical"},
		{name: "long form", expr: `{"Fn::Sub": "${Name}-${AWS::StackName}"}`, want: "gt-st"},
		{name: "list parameter is refused", expr: `!Sub "${Buckets}"`, errPath: "Resources.R.Properties.Value.Fn::Sub"},
		{name: "list attribute is refused", expr: `!Sub "${Other.List}"`, errPath: "Resources.R.Properties.Value.Fn::Sub"},
		{name: "unterminated", expr: `!Sub "${Name"`, errPath: "Resources.R.Properties.Value.Fn::Sub"},
		{name: "unknown variable", expr: `!Sub "${Nope}"`, errPath: "Resources.R.Properties.Value.Fn::Sub"},
		{name: "variable must be a string", expr: `!Sub ["${A}", {A: !Ref Buckets}]`, errPath: "Resources.R.Properties.Value.Fn::Sub[1].A"},
	})
}

func TestGetAtt(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "short dotted", expr: "!GetAtt Other.Arn", want: "arn:Other"},
		{name: "short list", expr: "!GetAtt [Other, Arn]", want: "arn:Other"},
		{name: "long list", expr: `{"Fn::GetAtt": [Other, Arn]}`, want: "arn:Other"},
		{name: "long dotted", expr: `{"Fn::GetAtt": Other.Arn}`, want: "arn:Other"},
		{name: "attribute from Ref", expr: "!GetAtt [Other, !Ref Attr]", want: "arn:Other"},
		{name: "list attribute", expr: "!GetAtt Other.List", want: []any{"x", "y"}},
		{name: "unknown resource", expr: "!GetAtt Nope.Arn", errPath: "Resources.R.Properties.Value.Fn::GetAtt"},
		{name: "callback error", expr: "!GetAtt Other.Nope", errPath: "Resources.R.Properties.Value.Fn::GetAtt"},
	})
}

func TestImportValue(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "long form with short Sub", expr: `{"Fn::ImportValue": !Sub "${Name}-ServiceToken"}`, want: "arn:aws:lambda:us-east-1:123456789012:function:provider"},
		{name: "short form with literal", expr: "!ImportValue gt-ServiceToken", want: "arn:aws:lambda:us-east-1:123456789012:function:provider"},
		{name: "short form with long Join", expr: `!ImportValue {"Fn::Join": ["-", [!Ref Name, ServiceToken]]}`, want: "arn:aws:lambda:us-east-1:123456789012:function:provider"},
		{name: "unknown export", expr: "!ImportValue nope", errPath: "Resources.R.Properties.Value.Fn::ImportValue"},
		{name: "name must be a string", expr: "!ImportValue [a]", errPath: "Resources.R.Properties.Value.Fn::ImportValue"},
	})
}

func TestIf(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "true branch", expr: "!If [IsGt, yes, no]", want: "yes"},
		{name: "false branch", expr: "!If [IsGt, yes, no]", params: map[string]string{"Name": "other"}, want: "no"},
		{name: "NoValue branch removes the property", expr: "!If [NotGt, yes, !Ref AWS::NoValue]", absent: true},
		{name: "NoValue branch removes a list element", expr: "[a, !If [NotGt, b, !Ref AWS::NoValue]]", want: []any{"a"}},
		{name: "branch is evaluated", expr: "!If [IsGt, !Ref Buckets, []]", want: []any{"in", "out"}},
		{name: "long form", expr: `{"Fn::If": [LongForm, yes, no]}`, want: "yes"},
		{name: "unknown condition", expr: "!If [Nope, yes, no]", errPath: "Resources.R.Properties.Value.Fn::If"},
		{name: "wrong arity", expr: "!If [IsGt, yes]", errPath: "Resources.R.Properties.Value.Fn::If"},
	})
}

func TestConditionFunctions(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "Equals true", expr: "!If [IsGt, t, f]", want: "t"},
		{name: "Not", expr: "!If [NotGt, t, f]", want: "f"},
		{name: "And all true", expr: "!If [Both, t, f]", want: "t"},
		{name: "And one false", expr: "!If [Neither, t, f]", want: "f"},
		{name: "Or one true", expr: "!If [Either, t, f]", want: "t"},
		{name: "Or none true", expr: "!If [NoneOf, t, f]", want: "f"},
		{name: "Equals on an empty list", expr: "!If [HasEmpty, t, f]", want: "f"},
		{name: "Equals on a given list", expr: "!If [HasEmpty, t, f]", params: map[string]string{"Empty": "x"}, want: "t"},
		{name: "Equals compares lists", expr: "!If [ListsEqual, t, f]", want: "t"},
		{name: "condition refers to itself", expr: "!If [Loop, t, f]", errPath: "Conditions.Loop.Fn::Not[0].Condition"},
		{name: "Equals outside Conditions", expr: "!Equals [a, a]", errPath: "Resources.R.Properties.Value.Fn::Equals"},
	})
}

func TestJoin(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "literal list", expr: `!Join [",", [a, b, c]]`, want: "a,b,c"},
		{name: "list parameter", expr: `!Join ["|", !Ref Buckets]`, want: "in|out"},
		{name: "nested functions", expr: `!Join ["", [!Ref Name, "-", !Ref AWS::Region]]`, want: "gt-us-east-1"},
		{name: "NoValue element dropped", expr: `!Join ["-", [a, !Ref AWS::NoValue, b]]`, want: "a-b"},
		{name: "long form", expr: `{"Fn::Join": ["/", [x, y]]}`, want: "x/y"},
		{name: "non-string element", expr: `!Join [",", [a, [b]]]`, errPath: "Resources.R.Properties.Value.Fn::Join"},
		{name: "not a list", expr: `!Join [",", !Ref Name]`, errPath: "Resources.R.Properties.Value.Fn::Join[1]"},
	})
}

func TestSplit(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "literal", expr: `!Split [",", "a,b,,c"]`, want: []any{"a", "b", "", "c"}},
		{name: "from Sub", expr: `!Split ["-", !Sub "${Name}-${AWS::Region}"]`, want: []any{"gt", "us", "east", "1"}},
		{name: "long form", expr: `{"Fn::Split": ["/", "x/y"]}`, want: []any{"x", "y"}},
		{name: "source must be a string", expr: `!Split [",", !Ref Buckets]`, errPath: "Resources.R.Properties.Value.Fn::Split[1]"},
	})
}

func TestSelect(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "literal list", expr: "!Select [1, [a, b, c]]", want: "b"},
		{name: "string index", expr: `!Select ["0", !Ref Buckets]`, want: "in"},
		{name: "from Split", expr: `!Select [2, !Split [":", "arn:aws:iam"]]`, want: "iam"},
		{name: "from GetAtt list", expr: "!Select [1, !GetAtt Other.List]", want: "y"},
		{name: "long form", expr: `{"Fn::Select": [0, [z]]}`, want: "z"},
		{name: "out of range", expr: "!Select [3, [a]]", errPath: "Resources.R.Properties.Value.Fn::Select"},
		{name: "bad index", expr: "!Select [x, [a]]", errPath: "Resources.R.Properties.Value.Fn::Select"},
	})
}

func TestFindInMap(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "literal keys", expr: "!FindInMap [Regions, us-east-1, Ami]", want: "ami-1"},
		{name: "pseudo parameter key", expr: "!FindInMap [Regions, !Ref AWS::Region, Ami]", want: "ami-1"},
		{name: "list value", expr: "!FindInMap [Regions, us-east-1, Zones]", want: []any{"a", "b"}},
		{name: "long form", expr: `{"Fn::FindInMap": [Regions, us-east-1, Ami]}`, want: "ami-1"},
		{name: "missing second key", expr: "!FindInMap [Regions, us-east-1, Nope]", errPath: "Resources.R.Properties.Value.Fn::FindInMap"},
		{name: "missing map", expr: "!FindInMap [Nope, a, b]", errPath: "Resources.R.Properties.Value.Fn::FindInMap"},
	})
}

func TestBase64(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "Sub inside", expr: `!Base64 {"Fn::Sub": "${Name}"}`, want: "Z3Q="},
		{name: "literal", expr: "!Base64 hi", want: "aGk="},
	})
}

func TestUnsupportedFunction(t *testing.T) {
	runValueCases(t, []valueCase{
		{name: "GetAZs", expr: "!GetAZs ''", errPath: "Resources.R.Properties.Value.Fn::GetAZs"},
	})
}

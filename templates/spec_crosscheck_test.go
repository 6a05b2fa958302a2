package templates

import (
	"reflect"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// TestScenarioPropertiesParse feeds every resolved scenario and product sample to the provider's own
// property parser, so a template cannot drift from what the provider accepts.
func TestScenarioPropertiesParse(t *testing.T) {
	settings, err := spec.SettingsFromEnv(func(string) string { return "" }, "aws")
	if err != nil {
		t.Fatalf("default settings: %v", err)
	}
	target := spec.Target{Account: testAccount, Region: testRegion, Settings: settings}
	for _, tc := range scenarioCases {
		t.Run(tc.name, func(t *testing.T) {
			_, stack, err := bind(t, tc.file, tc.params)
			if err != nil {
				t.Fatalf("bind: %v", err)
			}
			props, err := stack.ResourceProperties("ExecutionRole")
			if err != nil {
				t.Fatalf("ResourceProperties: %v", err)
			}
			if _, err := spec.Parse(props, target); err != nil {
				t.Fatalf("provider rejects the properties: %v", err)
			}
		})
	}
}

// TestProviderEnvironmentAccepted reads the provider function's resolved environment with the
// provider's own settings reader.
func TestProviderEnvironmentAccepted(t *testing.T) {
	cases := []struct {
		name   string
		params map[string]string
		want   spec.Settings
	}{
		{
			name:   "defaults",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "k"},
			want:   spec.Settings{RolePathPrefix: "/groundtruth/", AllowedManagedPolicyArns: []string{gtPolicy}},
		},
		{
			name: "boundary, prefix and allow-list",
			params: map[string]string{
				"CodeBucket": "code-bucket", "CodeKey": "k", "RolePathPrefix": "/teams/gt/",
				"AllowedManagedPolicyArns":    gtPolicy + ",arn:aws:iam::123456789012:policy/gt-extra",
				"RequiredPermissionsBoundary": boundary,
			},
			want: spec.Settings{
				RolePathPrefix:              "/teams/gt/",
				AllowedManagedPolicyArns:    []string{gtPolicy, "arn:aws:iam::123456789012:policy/gt-extra"},
				RequiredPermissionsBoundary: boundary,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fn := resourceProperties(t, bindProvider(t, tc.params), "ProviderFunction")
			var env struct{ Variables map[string]string }
			decodeInto(t, fn["Environment"], &env)
			got, err := spec.SettingsFromEnv(func(k string) string { return env.Variables[k] }, "aws")
			if err != nil {
				t.Fatalf("provider rejects its environment %v: %v", env.Variables, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("settings = %+v, want %+v", got, tc.want)
			}
		})
	}
}

package provider

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"gopkg.in/yaml.v3"
)

// logGroupPolicy is what decides a log group's fate and its logs' lifetime.
type logGroupPolicy struct {
	DeletionPolicy, UpdateReplacePolicy string
	RetentionDays                       int
}

// TestLogGroupKeptLikeProviderYAML checks that the CDK provider and templates/provider.yaml keep the provider's
// logs alike: retained when the stack is deleted or the log group replaced, for the same default number of days.
func TestLogGroupKeptLikeProviderYAML(t *testing.T) {
	raw, err := json.Marshal(synthStackWithContext(t, Props{}, nil).ToJSON())
	if err != nil {
		t.Fatal(err)
	}
	var synthesized struct {
		Resources map[string]struct {
			Type                string
			DeletionPolicy      string
			UpdateReplacePolicy string
			Properties          struct{ RetentionInDays int }
		}
	}
	if err := json.Unmarshal(raw, &synthesized); err != nil {
		t.Fatal(err)
	}
	var cdk []logGroupPolicy
	for _, r := range synthesized.Resources {
		if r.Type == "AWS::Logs::LogGroup" {
			cdk = append(cdk, logGroupPolicy{r.DeletionPolicy, r.UpdateReplacePolicy, r.Properties.RetentionInDays})
		}
	}

	data, err := os.ReadFile("../../templates/provider.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Parameters map[string]struct {
			Default string `yaml:"Default"`
		} `yaml:"Parameters"`
		Resources map[string]struct {
			Type                string `yaml:"Type"`
			DeletionPolicy      string `yaml:"DeletionPolicy"`
			UpdateReplacePolicy string `yaml:"UpdateReplacePolicy"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	days, err := strconv.Atoi(doc.Parameters["LogRetentionInDays"].Default)
	if err != nil {
		t.Fatalf("provider.yaml LogRetentionInDays default: %v", err)
	}
	var plain []logGroupPolicy
	for _, r := range doc.Resources {
		if r.Type == "AWS::Logs::LogGroup" {
			plain = append(plain, logGroupPolicy{r.DeletionPolicy, r.UpdateReplacePolicy, days})
		}
	}
	want := logGroupPolicy{"Retain", "Retain", 365}
	if len(plain) != 1 || plain[0] != want {
		t.Errorf("provider.yaml log groups = %+v, want one %+v", plain, want)
	}
	if len(cdk) != 1 || cdk[0] != want {
		t.Errorf("CDK provider log groups = %+v, want one %+v like provider.yaml", cdk, want)
	}
}

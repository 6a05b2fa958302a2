// Package propfile reads a Custom::GroundTruthExecutionRole Properties file written as JSON or YAML, for the gtrole CLI
// and the tests. The Lambda reads CloudFormation's JSON and never links this package (or a YAML library).
package propfile

import (
	"bytes"
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Decode reads a Properties object written as JSON or YAML, as the gtrole CLI accepts it.
func Decode(data []byte) (map[string]any, error) {
	// JSON is YAML: one decoder reads both, then the JSON round trip gives CloudFormation's value types.
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read properties: %w", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("read properties: want an object whose keys are property names: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var props map[string]any
	if err := dec.Decode(&props); err != nil {
		return nil, fmt.Errorf("read properties: want a JSON or YAML object of Custom::GroundTruthExecutionRole properties: %w", err)
	}
	if props == nil {
		return nil, fmt.Errorf("read properties: the input is empty; want an object of Custom::GroundTruthExecutionRole properties")
	}
	return props, nil
}

// Package propfile reads a Custom::GroundTruthExecutionRole Properties file written as JSON or YAML, for the gtrole CLI
// and the tests. The Lambda reads CloudFormation's JSON and never links this package (or a YAML library).
package propfile

import (
	"bytes"
	"encoding/json"
	"fmt"

	"sigs.k8s.io/yaml"
)

// Decode reads a Properties object written as JSON or YAML, as the gtrole CLI accepts it.
func Decode(data []byte) (map[string]any, error) {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("read properties: %w", err)
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

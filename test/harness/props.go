package harness

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
)

// Props reads the sample properties test/testdata/properties/<scenario>.yaml.
func Props(t testing.TB, scenario string) map[string]any {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "testdata", "properties", scenario+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := propfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// With copies base and sets (or, for a nil value, removes) the given keys, given as key, value pairs.
func With(base map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(base))
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

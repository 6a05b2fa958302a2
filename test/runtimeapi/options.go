package runtimeapi

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// Defaults applied by Start to zero Options fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultFunctionName = "gtrole-test"
	DefaultMemoryMB     = 128
	DefaultRegion       = "us-east-1"
	defaultAccount      = "123456789012"
	defaultStartTimeout = 30 * time.Second
)

// Options configure the function process Start runs.
type Options struct {
	Binary       string        // path of the compiled Lambda binary (required)
	Env          []string      // extra KEY=VALUE entries; they override the Lambda defaults
	Timeout      time.Duration // function timeout, sets Lambda-Runtime-Deadline-Ms; DefaultTimeout when 0
	FunctionARN  string        // Lambda-Runtime-Invoked-Function-Arn; derived from FunctionName when empty
	FunctionName string        // AWS_LAMBDA_FUNCTION_NAME; DefaultFunctionName when empty
	MemoryMB     int           // AWS_LAMBDA_FUNCTION_MEMORY_SIZE; DefaultMemoryMB when 0
	Region       string        // AWS_REGION; DefaultRegion when empty
	StartTimeout time.Duration // how long Start waits for the first poll; 30s when 0
}

func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.FunctionName == "" {
		o.FunctionName = DefaultFunctionName
	}
	if o.MemoryMB == 0 {
		o.MemoryMB = DefaultMemoryMB
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.FunctionARN == "" {
		// The function's ARN is in its region's partition, as Lambda's is; the provider takes its partition from it.
		o.FunctionARN = "arn:" + spec.PartitionOf(o.Region) + ":lambda:" + o.Region + ":" + defaultAccount + ":function:" + o.FunctionName
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = defaultStartTimeout
	}
	return o
}

// environ is the child's whole environment: what Lambda sets for a
// provided.al2023 function, then o.Env. Nothing is inherited from the test
// process, so host credentials never leak into the function.
func (o Options) environ(apiAddr string) []string {
	name := o.FunctionName
	env := []string{
		"AWS_LAMBDA_RUNTIME_API=" + apiAddr,
		"AWS_LAMBDA_FUNCTION_NAME=" + name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(o.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + name,
		"AWS_LAMBDA_LOG_STREAM_NAME=" + time.Now().UTC().Format("2006/01/02") + "/[$LATEST]runtimeapi",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_REGION=" + o.Region,
		"AWS_DEFAULT_REGION=" + o.Region,
		"_HANDLER=" + filepath.Base(o.Binary),
		"LAMBDA_TASK_ROOT=" + filepath.Dir(o.Binary),
		"LAMBDA_RUNTIME_DIR=/var/runtime",
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
	}
	for _, kv := range o.Env {
		if strings.Contains(kv, "=") {
			env = append(env, kv)
		}
	}
	return env
}

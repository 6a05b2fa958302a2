// Command demo runs the provider binary through a whole CloudFormation lifecycle on this machine: it builds
// lambda/cmd/bootstrap, starts moto (IAM, S3) and a Lambda Runtime API, then sends Create, an in-place Update and
// Delete for a sample's properties. It prints the properties sent, each response CloudFormation would read and the
// IAM calls the provider made; the role as IAM holds it after Create, and after Update only what changed.
//
//	go run ./test/cmd/demo [-sample FILE] [-region REGION]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

func main() {
	sample := flag.String("sample", "test/testdata/properties/everything.yaml", "Custom::GroundTruthExecutionRole properties (YAML or JSON)")
	region := flag.String("region", moto.Region, "the provider's AWS_REGION; decides the partition (make demo passes a sample's `# region:` line)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *sample, *region, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, sample, region string, out io.Writer) error {
	data, err := os.ReadFile(sample)
	if err != nil {
		return err
	}
	props, err := propfile.Decode(data)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "gtrole-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	step(out, "build", "go build -tags lambda.norpc ./lambda/cmd/bootstrap (for this machine's architecture)")
	stopProgress := progress(out, "building: the first build compiles the AWS SDK, a minute or two on a fresh machine", 15*time.Second)
	binary, err := runtimeapi.Build(ctx, "./lambda/cmd/bootstrap", dir)
	stopProgress()
	if err != nil {
		return err
	}
	h, err := harness.Start(ctx, binary)
	if err != nil {
		return err
	}
	defer h.Close()
	// moto keeps each partition's IAM apart: look at the roles through the region the provider runs in.
	cfg := h.Moto.Config(ctx)
	cfg.Region = region
	h.IAM = iam.NewFromConfig(cfg)
	rt, err := h.Runtime(ctx, runtimeapi.Options{Timeout: 60 * time.Second, Region: region}, "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
	if err != nil {
		return err
	}
	defer rt.Stop()
	fmt.Fprintf(out, "moto at %s, Runtime API at %s, region %s, provider initialised in %s\n", h.Moto.URL(), rt.Addr(), region, rt.InitDuration().Round(time.Microsecond))

	step(out, "Create", sample)
	fmt.Fprintln(out, "Properties sent (as CloudFormation sends them: every scalar a string):")
	printJSON(out, harness.Stringify(map[string]any(props)))
	created, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestCreate, Props: props})
	if err != nil {
		return err
	}
	before, err := h.Describe(ctx, created.PhysicalResourceID)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "IAM holds:")
	printJSON(out, before)

	changes := map[string]any{
		"Description": "updated in place by make demo",
		"Tags":        []any{map[string]any{"Key": "stage", "Value": "demo"}},
	}
	updated := map[string]any{}
	for k, v := range props {
		updated[k] = v
	}
	for k, v := range changes {
		updated[k] = v
	}
	step(out, "Update (in place)", "Description and Tags changed")
	fmt.Fprintln(out, "Properties changed (the rest are sent as before):")
	printJSON(out, harness.Stringify(changes))
	if _, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: created.PhysicalResourceID, Props: updated, OldProps: props}); err != nil {
		return err
	}
	after, err := h.Describe(ctx, created.PhysicalResourceID)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "What changed in IAM (- before, + after):")
	for _, line := range lineDiff(jsonText(before), jsonText(after), 2) {
		fmt.Fprintf(out, "  %s\n", line)
	}

	deployed, err := driftStep(ctx, out, h, rt, created.PhysicalResourceID, updated)
	if err != nil {
		return err
	}

	step(out, "Delete", created.PhysicalResourceID)
	if _, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: created.PhysicalResourceID, Props: deployed}); err != nil {
		return err
	}
	names, err := h.RoleNames(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "roles left in IAM: %d %v\n", len(names), names)
	if len(names) != 0 {
		return errors.New("the Delete left a role behind")
	}
	return nil
}

func step(out io.Writer, name, detail string) {
	fmt.Fprintf(out, "\n=== %s: %s\n", name, detail)
}

// send delivers req and prints the response and the IAM calls the provider made for it.
func send(ctx context.Context, out io.Writer, h *harness.Harness, rt *runtimeapi.Runtime, req harness.Request) (cfn.Response, error) {
	seen := len(h.Proxy.Requests())
	d, err := h.Send(ctx, rt, req)
	if err != nil {
		return cfn.Response{}, err
	}
	fmt.Fprintf(out, "CloudFormation received (%d bytes, answered in %s):\n", len(d.Body), d.Invocation.Elapsed.Round(time.Millisecond))
	printJSON(out, d.Response)
	var calls []string
	writes := 0
	for _, r := range h.Proxy.Requests()[seen:] {
		if r.Action == "" {
			continue
		}
		calls = append(calls, r.Action)
		if r.IsWrite() {
			writes++
		}
	}
	fmt.Fprintf(out, "IAM calls (%d, %d writes): %s\n", len(calls), writes, strings.Join(calls, ", "))
	if d.Response.Status != cfn.StatusSuccess {
		return d.Response, fmt.Errorf("%s answered %s: %s", req.Type, d.Response.Status, d.Response.Reason)
	}
	return d.Response, nil
}

// progress prints line now and an elapsed-time line every interval until the returned stop is called.
func progress(out io.Writer, line string, interval time.Duration) (stop func()) {
	fmt.Fprintf(out, "%s ...\n", line)
	start := time.Now()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintf(out, "  still building (%s)\n", time.Since(start).Round(time.Second))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		fmt.Fprintf(out, "built in %s\n", time.Since(start).Round(100*time.Millisecond))
	}
}

func jsonText(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprintf("(unprintable: %v)", err)
	}
	return string(b)
}

func printJSON(out io.Writer, v any) {
	fmt.Fprintf(out, "%s\n", jsonText(v))
}

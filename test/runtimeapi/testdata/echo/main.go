// Command echo is a tiny Lambda function used by the runtimeapi tests.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// event selects what the handler does.
type event struct {
	Mode  string `json:"mode"`  // echo, error, panic, exit, sleep, hang, log, getenv, context
	Value string `json:"value"` // echoed, logged or used as the error message
	Sleep int    `json:"sleepMs"`
}

// contextInfo reports what the runtime told the handler.
type contextInfo struct {
	RequestID   string `json:"requestId"`
	FunctionARN string `json:"functionArn"`
	DeadlineMs  int64  `json:"deadlineMs"`
	TraceID     string `json:"traceId"`
	FuncName    string `json:"functionName"`
	MemoryMB    int    `json:"memoryMb"`
	Extra       string `json:"extra"`
}

type handlerError struct{ msg string }

func (e *handlerError) Error() string { return e.msg }

func handle(ctx context.Context, ev event) (any, error) {
	switch ev.Mode {
	case "echo":
		return map[string]string{"value": ev.Value}, nil
	case "error":
		return nil, &handlerError{msg: ev.Value}
	case "panic":
		panic(ev.Value)
	case "exit":
		os.Exit(3)
	case "sleep":
		select {
		case <-time.After(time.Duration(ev.Sleep) * time.Millisecond):
			return map[string]string{"slept": "yes"}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "hang":
		time.Sleep(time.Duration(ev.Sleep) * time.Millisecond) // ignores the deadline
		return map[string]string{"hung": "yes"}, nil
	case "getenv":
		return map[string]string{"value": os.Getenv(ev.Value)}, nil
	case "log":
		log.Printf("stderr line %s", ev.Value)
		fmt.Printf("stdout line %s\n", ev.Value)
		return map[string]string{"logged": ev.Value}, nil
	case "context":
		lc, _ := lambdacontext.FromContext(ctx)
		dl, _ := ctx.Deadline()
		trace, _ := ctx.Value("x-amzn-trace-id").(string)
		return contextInfo{
			RequestID:   lc.AwsRequestID,
			FunctionARN: lc.InvokedFunctionArn,
			DeadlineMs:  dl.UnixMilli(),
			TraceID:     trace,
			FuncName:    lambdacontext.FunctionName,
			MemoryMB:    lambdacontext.MemoryLimitInMB,
			Extra:       os.Getenv("ECHO_EXTRA"),
		}, nil
	}
	return nil, errors.New("unknown mode " + ev.Mode)
}

func main() {
	if os.Getenv("ECHO_FAIL_INIT") != "" {
		log.Fatal("init failed on purpose")
	}
	if os.Getenv("ECHO_INIT_ERROR") != "" {
		reportInitError()
		os.Exit(1)
	}
	lambda.Start(handle)
}

// reportInitError posts to the Runtime API's init/error as a runtime that
// cannot start would.
func reportInitError() {
	url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/init/error"
	body := []byte(`{"errorMessage":"config missing","errorType":"Runtime.ConfigError"}`)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigError")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	log.Printf("init/error status %d", resp.StatusCode)
}

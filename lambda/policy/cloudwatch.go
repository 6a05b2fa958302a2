package policy

import "github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"

// cloudWatchStatement lets Ground Truth log worker metrics and job status, exactly as the reference grants it.
func cloudWatchStatement() iamdoc.Statement {
	return iamdoc.Statement{
		Sid:      "CloudWatch",
		Effect:   iamdoc.Allow,
		Action:   iamdoc.NewStrings("cloudwatch:PutMetricData", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"),
		Resource: iamdoc.NewStrings("*"),
	}
}

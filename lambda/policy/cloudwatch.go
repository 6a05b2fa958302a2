package policy

// cloudWatchStatement lets Ground Truth log worker metrics and job status, exactly as the reference grants it.
func cloudWatchStatement() Statement {
	return Statement{
		Sid:      "CloudWatch",
		Effect:   Allow,
		Action:   NewStrings("cloudwatch:PutMetricData", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"),
		Resource: NewStrings("*"),
	}
}

"""The Python peer of the cold-start floor: construct a boto3 IAM client, then poll the Lambda Runtime API once the
way a custom runtime does. With the API unreachable the poll fails and the process exits."""
import os
import sys
import urllib.request

import boto3

client = boto3.client("iam")
try:
    urllib.request.urlopen(
        "http://%s/2018-06-01/runtime/invocation/next" % os.environ["AWS_LAMBDA_RUNTIME_API"]
    )
except OSError as err:
    sys.exit("runtime API: %s" % err)

// The Node.js peer of the cold-start floor: construct an IAM client, then poll the Lambda Runtime API once the way a
// custom runtime does. With the API unreachable the poll fails and the process exits.
import { IAMClient } from "@aws-sdk/client-iam";

const client = new IAMClient({});
try {
  await fetch(`http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next`);
} catch (err) {
  console.error(`runtime API: ${err.cause?.code ?? err.message}`);
  process.exit(1);
}
void client;

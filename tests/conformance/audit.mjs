// Run the GraphQL-over-HTTP audit of `graphql-http` against a server and print the results.
//
//   node tests/conformance/audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one JSON array to stdout, one object per audit, in the audit's own order:
//   { id, name, level: "MUST" | "SHOULD" | "MAY", status: "ok" | "notice" | "warn" | "error",
//     reason?, response?: { status, contentType, body } }
// graphql-http reports a failed MUST as "error", a failed SHOULD as "warn" and a failed MAY as
// "notice". Exits 0 whenever the audit ran (the caller judges the results), 2 on bad usage or
// when the audit itself could not run.

import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

async function describe(response) {
  if (!response) return undefined;
  let body = '';
  try {
    body = await response.clone().text();
  } catch {
    try {
      body = await response.text();
    } catch {
      body = '<body already read>';
    }
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: body.length > 2000 ? `${body.slice(0, 2000)}…` : body,
  };
}

try {
  const results = await auditServer({ url });
  const report = [];
  for (const result of results) {
    const entry = {
      id: result.id,
      name: result.name,
      level: result.name.split(' ', 1)[0],
      status: result.status,
    };
    if (result.status !== 'ok') {
      entry.reason = result.reason;
      entry.response = await describe(result.response);
    }
    report.push(entry);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} catch (error) {
  console.error(`audit failed to run: ${error?.stack ?? error}`);
  process.exit(2);
}

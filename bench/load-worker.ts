import autocannon from "autocannon";

// The load generator, in a process of its own (bench/http-load.ts starts it): sharing a
// process with the harness, it saturated before the apps it measured did. Reads one job
// as JSON on stdin, drives it with autocannon, and writes the result as JSON on stdout,
// with the CPU it used: a generator near a whole core is the bottleneck, not the app.

export interface LoadJob {
  url: string;
  headers?: Record<string, string>;
  cookies?: readonly string[];
  connections: number;
  seconds?: number;
  amount?: number;
}

export interface LoadOutput {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  failed: { errors: number; timeouts: number; non2xx: number };
  /** CPU this process used while driving the load, as a share of one core. */
  cpuShare: number;
}

async function drive(job: LoadJob): Promise<LoadOutput> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({
    url: job.url,
    headers: job.headers,
    requests: job.cookies ? [rotating(job.cookies)] : undefined,
    connections: job.connections,
    // autocannon refuses an explicit undefined: one or the other.
    ...(job.amount === undefined ? { duration: job.seconds } : { amount: job.amount }),
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx },
    cpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}

/** An autocannon request that sends the next cookie each time. */
function rotating(cookies: readonly string[]): autocannon.Request {
  let next = 0;
  return {
    setupRequest(request) {
      const cookie = cookies[next++ % cookies.length]!;
      return { ...request, headers: { ...request.headers, Cookie: cookie } };
    },
  };
}

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(JSON.stringify(await drive(JSON.parse(input) as LoadJob)));

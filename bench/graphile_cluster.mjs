// PostGraphile 5 on several processes sharing one port, for `bench/run.py --workers N`: Node's
// `cluster` module, as a user runs a Node server on several cores. Each worker serves the same
// preset as the single-process run (graphile.config.mjs), as its CLI does (postgraphile's
// cli.js: createServ(grafserv), addTo(http server), listen).
import cluster from "node:cluster";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const workers = Number(process.env.PGL_WORKERS ?? 2);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited (${code})`);
    process.exit(1);
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      for (const worker of Object.values(cluster.workers)) worker.process.kill("SIGTERM");
      process.exit(0);
    });
  }
} else {
  const serv = postgraphile(preset).createServ(grafserv);
  const server = createServer();
  await serv.addTo(server);
  server.listen({ host: preset.grafserv.host, port: preset.grafserv.port }, () =>
    console.log(`worker ${process.pid} listening on ${preset.grafserv.port}`),
  );
}

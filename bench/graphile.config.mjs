// PostGraphile 5 (Grafast) on Tsunagu's own PostgreSQL database, for bench/run.py.
// Stock "amber" preset over schema `public` (where Tortoise creates Tsunagu's tables; the
// relations come from Tortoise's foreign keys), no GraphiQL, no watch mode, pool of 10.
// Tortoise does not index foreign-key columns such as working_group_participant.membership_id;
// by default PostGraphile then hides the backward relations, conditions and orders on them
// (PgIndexBehaviorsPlugin). The plugin is disabled so both servers read the tables as they are.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.PG_POOL_MAX ?? 10) },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PGL_PORT ?? 5678),
    graphiql: false,
    watch: false,
  },
  grafast: {
    // PGL_EXPLAIN=1 returns the generated SQL in `extensions` (used once, never while measuring).
    explain: process.env.PGL_EXPLAIN === "1",
  },
};
export default preset;

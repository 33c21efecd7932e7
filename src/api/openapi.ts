import { z } from "zod";
import type { Route } from "./handlers.js";

type Json = Record<string, unknown>;

/** OpenAPI 3.1 from the same zod schemas that validate the requests. */
export function openApiDocument(routes: readonly Route[], prefix: string): Json {
  const paths: Json = {};
  for (const route of routes) {
    const schema = z.toJSONSchema(route.schema, { io: "input", unrepresentable: "any" }) as Json;
    delete schema["$schema"];
    const operation: Json = {
      summary: route.summary,
      operationId: route.path.replace(/^\//, "").replace(/\//g, "_"),
      responses: {
        "200": { description: "`{status: \"success\", ...}`" },
        "400": { description: "validation error: `{status: \"error\", message, code, errors}`" },
        "403": { description: "invalid API key" },
        "404": { description: "unknown symbol or order" },
        "429": { description: "rate limited: `retry_after` seconds" },
        "502": { description: "the broker failed; its description is in `message`" },
        "504": { description: "broker timeout, or ORDER_OUTCOME_UNKNOWN with `order_unique_identifier`" },
      },
    };
    if (route.source === "query") {
      const properties = (schema["properties"] ?? {}) as Record<string, Json>;
      const required = new Set((schema["required"] as string[] | undefined) ?? []);
      operation["parameters"] = Object.entries(properties).map(([name, s]) => ({ name, in: "query", required: required.has(name), schema: s }));
    } else {
      operation["requestBody"] = { required: true, content: { "application/json": { schema } } };
    }
    paths[`${prefix}${route.path}`] = { [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "xtsbridge — OpenAlgo-compatible API for Jainam Prop (XTS)",
      version: "1",
      description: "Send `apikey` in the JSON body (query string for GET). Numbers may be sent as strings. Unknown fields are rejected.",
    },
    paths,
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** A self-contained page listing each endpoint and its fields, rendered from the OpenAPI document. */
export function docsPage(doc: Json): string {
  const paths = doc["paths"] as Record<string, Record<string, Json>>;
  const sections = Object.entries(paths).map(([path, methods]) => {
    const [method, op] = Object.entries(methods)[0]!;
    const body = ((op["requestBody"] as Json | undefined)?.["content"] as Json | undefined)?.["application/json"] as Json | undefined;
    const schema: Json = (body?.["schema"] as Json | undefined) ?? { properties: Object.fromEntries(((op["parameters"] as Json[] | undefined) ?? []).map((p) => [p["name"], p["schema"]])) };
    const required = new Set((schema["required"] as string[] | undefined) ?? ((op["parameters"] as Json[] | undefined) ?? []).filter((p) => p["required"]).map((p) => String(p["name"])));
    const rows = Object.entries((schema["properties"] ?? {}) as Record<string, Json>)
      .map(([name, s]) => `<tr><td><code>${escape(name)}</code></td><td>${required.has(name) ? "required" : "optional"}</td><td><code>${escape(JSON.stringify(s))}</code></td></tr>`)
      .join("");
    return `<section><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2><p>${escape(String(op["summary"]))}</p><table><tr><th>field</th><th></th><th>schema</th></tr>${rows}</table></section>`;
  });
  const info = doc["info"] as Json;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(String(info["title"]))}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}code{font-size:.85em;word-break:break-all}</style>
</head><body><h1>${escape(String(info["title"]))}</h1><p>${escape(String(info["description"]))} Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>${sections.join("")}</body></html>`;
}

#!/usr/bin/env node
// Parses Adaptive Cards with the official `adaptivecards` npm package and reports every problem.
//
// Usage:
//   node tests/cards/parse_cards.mjs [--max-version 1.5] [--allow-element TYPE]... PATH...
//     PATH is a .json file (one card, or an array of cards), a folder (every *.json below it), or "-"
//     for stdin (one card or an array of cards).
//     --allow-element TYPE: an element type the host renders although the SDK does not know it (Teams'
//     Chart.Line, ...). Each such element must carry a `fallback` element, which the SDK parses and
//     checks in its place; the unknown type is then a warning ("HostElement"), not an error.
// Output: one JSON line per card on stdout:
//   {"file": "...", "ok": true|false, "errors": [...], "warnings": [...]}
//   each problem is {"event": "UnknownElementType", "phase": "Parse", "source": "Container", "message": "..."}.
// Exit code: 0 when no card has an error, 1 when one has, 2 for a usage problem or a missing package.
//
// The cards must be expanded already (templates filled in): leftover "$when"/"$data" keys are errors,
// leftover "${name}" strings are warnings (member-typed text may legitimately contain them).
// Parsing needs no DOM: the package's UMD build only touches `window`/`document` when rendering.

import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

// Keep stdout for our JSON lines: the SDK may log through console.*.
for (const name of ["log", "info", "warn", "debug"]) {
  console[name] = (...args) => process.stderr.write(args.map(String).join(" ") + "\n");
}

const require = createRequire(import.meta.url);
let AC;
try {
  // lib/ is extensionless ESM meant for bundlers; dist/ is the UMD build Node can load.
  AC = require("adaptivecards/dist/adaptivecards.js");
} catch (error) {
  process.stderr.write(`cannot load the adaptivecards package (run \`npm ci\`): ${error.message}\n`);
  process.exit(2);
}

// Problems the SDK itself only hints at; everything else the SDK reports counts as an error.
const WARNING_EVENTS = new Set([AC.ValidationEvent.Hint, AC.ValidationEvent.Deprecated]);
const PLACEHOLDER = /\$\{[^}]*\}/;

function usage(message) {
  process.stderr.write(`${message}\nusage: node tests/cards/parse_cards.mjs [--max-version X.Y] PATH...\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const paths = [];
  const allowed = new Set();
  let maxVersion = "1.5"; // what Teams renders today
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--max-version") {
      maxVersion = argv[++i];
      if (!/^\d+\.\d+$/.test(maxVersion ?? "")) usage("--max-version needs a version such as 1.5");
    } else if (argv[i] === "--allow-element") {
      const type = argv[++i];
      if (!/^[A-Za-z][A-Za-z.]*$/.test(type ?? "")) usage("--allow-element needs an element type such as Chart.Line");
      allowed.add(type);
    } else if (argv[i] === "--help" || argv[i] === "-h") {
      usage("Parses Adaptive Cards and reports errors.");
    } else {
      paths.push(argv[i]);
    }
  }
  if (paths.length === 0) usage("no card files given");
  return { paths, maxVersion, allowed };
}

function jsonFilesUnder(folder) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...jsonFilesUnder(path));
    else if (entry.isFile() && entry.name.endsWith(".json")) found.push(path);
  }
  return found.sort();
}

function expandPaths(paths) {
  const files = [];
  for (const path of paths) {
    if (path === "-") files.push(path);
    else if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) files.push(...jsonFilesUnder(path));
    else files.push(path);
  }
  return files;
}

function problem(event, phase, source, message) {
  return { event, phase, source, message };
}

function sdkProblem(event) {
  return problem(
    AC.ValidationEvent[event.event] ?? String(event.event),
    AC.ValidationPhase[event.phase] ?? String(event.phase),
    event.source?.getJsonTypeName?.() ?? null,
    event.message,
  );
}

// Checks the SDK does not make: a card without a version, and templating syntax left in an expanded card.
function structuralProblems(json, allowed) {
  const errors = [];
  const warnings = [];
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    errors.push(problem("NotAnObject", "Parse", null, "a card must be a JSON object"));
    return { errors, warnings };
  }
  if (json.version === undefined) {
    errors.push(problem("MissingVersion", "Parse", "AdaptiveCard", 'property "version" must be set (Teams requires it)'));
  } else if (typeof json.version !== "string") {
    errors.push(problem("InvalidPropertyValue", "Parse", "AdaptiveCard", 'property "version" must be a string such as "1.5"'));
  }
  const walk = (node, path) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$when" || key === "$data") {
          errors.push(problem("UnexpandedTemplate", "Parse", node.type ?? null, `${path}.${key} is left from templating`));
        }
        walk(value, `${path}.${key}`);
      }
      const fallback = node.fallback;
      if (allowed.has(node.type) && (fallback === null || typeof fallback !== "object" || typeof fallback.type !== "string")) {
        errors.push(problem("MissingFallback", "Parse", node.type, `${path} (${node.type}) needs a fallback element`));
      }
    } else if (typeof node === "string" && PLACEHOLDER.test(node)) {
      warnings.push(problem("TemplatePlaceholder", "Parse", null, `${path} still contains ${node.match(PLACEHOLDER)[0]}`));
    }
  };
  walk(json, "$");
  return { errors, warnings };
}

function checkCard(json, allowed) {
  const { errors, warnings } = structuralProblems(json, allowed);
  if (errors.some((e) => e.event === "NotAnObject")) return { errors, warnings };
  // Parse against the card's own version, so element types and values newer than it are reported.
  const declared = typeof json.version === "string" ? AC.Version.parse(json.version, new AC.SerializationContext()) : undefined;
  const context = new AC.SerializationContext(declared?.isValid ? declared : undefined);
  const card = new AC.AdaptiveCard();
  try {
    card.parse(json, context);
  } catch (error) {
    errors.push(problem("ParserCrashed", "Parse", null, String(error?.stack ?? error)));
    return { errors, warnings };
  }
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...card.validateProperties().validationEvents);
  for (const event of events) {
    const found = explainTooNew(sdkProblem(event), declared);
    const type = found.event === "UnknownElementType" ? found.message.match(/"([^"]+)"/)?.[1] : undefined;
    if (type !== undefined && allowed.has(type)) {
      warnings.push({ ...found, event: "HostElement" }); // its fallback was parsed and checked in its place
    } else {
      (WARNING_EVENTS.has(event.event) ? warnings : errors).push(found);
    }
  }
  return { errors, warnings };
}

// The SDK calls a type "unknown" when it only exists in a later card version; say so.
function explainTooNew(found, declared) {
  const kind = { UnknownElementType: "elements", UnknownActionType: "actions" }[found.event];
  const typeName = kind && found.message.match(/"([^"]+)"/)?.[1];
  const registration = typeName && AC.GlobalRegistry[kind].findByName(typeName);
  if (!registration || !declared?.isValid) return found;
  return {
    ...found,
    event: "TypeNotInCardVersion",
    message: `${typeName} needs card version ${registration.schemaVersion} or later; the card declares ${declared}`,
  };
}

function cardsIn(file) {
  const text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  const json = JSON.parse(text);
  const label = file === "-" ? "<stdin>" : resolve(file);
  return Array.isArray(json) ? json.map((card, index) => [`${label}#${index}`, card]) : [[label, json]];
}

const { paths, maxVersion, allowed } = parseArgs(process.argv.slice(2));
AC.SerializableObject.defaultMaxVersion = AC.Version.parse(maxVersion, new AC.SerializationContext());
let failed = false;
for (const file of expandPaths(paths)) {
  let cards;
  try {
    cards = cardsIn(file);
  } catch (error) {
    cards = null;
    failed = true;
    const message = `cannot read card JSON: ${error.message}`;
    const errors = [problem("UnreadableFile", "Parse", null, message)];
    const label = file === "-" ? "<stdin>" : resolve(file);
    process.stdout.write(JSON.stringify({ file: label, ok: false, errors, warnings: [] }) + "\n");
  }
  for (const [label, card] of cards ?? []) {
    const { errors, warnings } = checkCard(card, allowed);
    failed ||= errors.length > 0;
    process.stdout.write(JSON.stringify({ file: label, ok: errors.length === 0, errors, warnings }) + "\n");
  }
}
process.exit(failed ? 1 : 0);

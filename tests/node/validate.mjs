// node validate.mjs SCHEMA INSTANCES: compile SCHEMA with ajv's draft 2020-12 validator in its
// default (strict) mode, validate each document of the JSON list INSTANCES, and print a JSON list
// of verdicts. Ajv reports strict-mode problems by throwing (errors) or on stderr (warnings).
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [schemaPath, instancesPath] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
const verdicts = JSON.parse(readFileSync(instancesPath, "utf8")).map((instance) => {
  const valid = validate(instance);
  return { valid, errors: valid ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`) };
});
process.stdout.write(JSON.stringify(verdicts));

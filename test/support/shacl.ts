import { readFileSync } from 'node:fs';
import factory from '@zazuko/env';
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

// The official DCAT-AP 3.0.0 shapes, kept with the tests so a clone is self-sufficient.
const SHAPES = new URL('../fixtures/dcat-ap/dcat-ap-3.0.0-SHACL.ttl', import.meta.url);

// Any fetch means the context is not self-contained.
const offlineLoader = async (url: string): Promise<never> => {
  throw new Error(`remote document fetched: ${url}`);
};

/** The RDF of a JSON-LD document, expanded offline; safe mode fails on terms the context does not define. */
export async function toQuads(doc: Record<string, unknown>): Promise<Quad[]> {
  const options = { format: 'application/n-quads', documentLoader: offlineLoader, safe: true };
  const nquads = await jsonld.toRDF(doc, options as jsonld.Options.ToRdf);
  return new Parser({ format: 'N-Quads' }).parse(nquads as unknown as string);
}

let validator: SHACLValidator | undefined;

/** Validates a JSON-LD document against the DCAT-AP shapes; `why` lists each violation readably. */
export async function validateDcat(doc: Record<string, unknown>) {
  // Parsed once per file: the shapes are large and never change.
  validator ??= new SHACLValidator(factory.dataset(new Parser({ format: 'Turtle' }).parse(readFileSync(SHAPES, 'utf8'))), { factory });
  const report = await validator.validate(factory.dataset(await toQuads(doc)));
  const why = report.results.map((r) => `${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map((m) => m.value).join('; ')}`);
  return { report, why };
}

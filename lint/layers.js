// The dependency rules between the project's folders, as an ESLint rule.
// A small rule of our own rather than a resolver-based plugin: TypeScript's
// `.js` specifiers for `.ts` files defeat path resolvers, and the layer map is
// ours anyway. See ARCHITECTURE.md, "Dependency rules".
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set(builtinModules);

/**
 * Layers, first match wins. `may` lists the folders (prefixes, or RegExps on the
 * repo-relative path without extension) a file of the layer may import;
 * `packages` the npm packages it may import (`*` any, `node:` the Node builtins);
 * `typeOnly` folders or packages it may import only with `import type`.
 */
export const LAYERS = [
  { name: 'test', match: /^test\//, may: ['*'], packages: ['*'] },
  // Build and lint configuration at the root and in lint/; build steps run by Node (renderer/voice/).
  { name: 'tooling', match: /^(lint\/|renderer\/voice\/|(renderer\/)?[^/]+\.config\.(js|ts)$)/, may: ['lint/'], packages: ['*'] },
  { name: 'drivers/common', match: /^drivers\/common\//, may: ['drivers/common/'], packages: [] },
  {
    name: 'drivers/protocols',
    match: /^drivers\/protocols\//,
    may: ['drivers/common/', 'drivers/protocols/'],
    packages: [],
  },
  {
    name: 'drivers/transports',
    match: /^drivers\/transports\//,
    may: ['drivers/common/', 'drivers/transports/'],
    packages: ['node:', 'serialport', '@serialport/stream', '@serialport/bindings-cpp', 'smartcard', 'modbus-serial'],
  },
  {
    name: 'drivers (device classes and models)',
    match: /^drivers\//,
    may: [/^drivers\/(?!transports\/)/],
    packages: [],
  },
  {
    name: 'state-machines',
    match: /^state-machines\//,
    may: ['state-machines/', 'drivers/common/', /^drivers\/[a-z-]+\/contract$/],
    packages: ['xstate'],
  },
  { name: 'main/ipc-contract', match: /^main\/ipc-contract\//, may: ['main/ipc-contract/'], packages: ['zod'] },
  {
    name: 'main/electron',
    match: /^main\/electron\//,
    may: ['main/electron/', 'main/ipc-contract/', 'main/runtime/bridge'],
    packages: ['node:', 'electron'],
  },
  {
    name: 'main',
    match: /^main\//,
    may: [/^main\/(?!electron\/)/, 'drivers/', 'state-machines/'],
    packages: ['*'],
    typeOnly: ['electron'],
  },
  {
    name: 'renderer',
    match: /^renderer\//,
    may: ['renderer/'],
    typeOnly: ['main/ipc-contract/'],
    packages: ['react', 'react-dom', 'i18next', 'react-i18next'],
  },
  {
    name: 'simulators',
    // A simulator must not share the codec under test with its driver:
    // no drivers/protocols, no drivers/<class>; crypto primitives are shared.
    match: /^simulators\//,
    may: ['simulators/', 'drivers/common/', 'drivers/transports/', 'main/crypto/'],
    packages: ['*'],
    typeOnly: ['electron'],
  },
];

function layerOf(rel) {
  return LAYERS.find((layer) => layer.match.test(rel));
}

function matchesFolder(entry, target) {
  if (entry === '*') return true;
  return entry instanceof RegExp ? entry.test(target) : target.startsWith(entry);
}

function packageName(spec) {
  if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0])) return 'node:';
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowsPackage(list, name) {
  return list.includes('*') || list.includes(name);
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the dependency rules between folders (ARCHITECTURE.md).' },
    schema: [],
    messages: {
      folder: 'Bad layering: {{layer}} may not import {{target}}.',
      package: 'Bad layering: {{layer}} may not import the package "{{target}}".',
      typeOnly: 'Bad layering: {{layer}} may import {{target}} only with `import type`.',
      unlayered: 'File {{file}} is in no layer; add its folder to lint/layers.js.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    if (file.startsWith('..')) return {};
    const layer = layerOf(file);
    const check = (node, spec, typeOnlyImport) => {
      if (typeof spec !== 'string') return;
      if (!layer) {
        context.report({ node, messageId: 'unlayered', data: { file } });
        return;
      }
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.(js|ts|tsx|mjs)$/, '');
        const typeOnly = (layer.typeOnly ?? []).some((e) => matchesFolder(e, target));
        if (typeOnly) {
          if (!typeOnlyImport) context.report({ node, messageId: 'typeOnly', data: { layer: layer.name, target } });
          return;
        }
        if (!layer.may.some((e) => matchesFolder(e, target))) {
          context.report({ node, messageId: 'folder', data: { layer: layer.name, target } });
        }
        return;
      }
      const name = packageName(spec);
      if ((layer.typeOnly ?? []).includes(name)) {
        if (!typeOnlyImport) context.report({ node, messageId: 'typeOnly', data: { layer: layer.name, target: name } });
        return;
      }
      if (!allowsPackage(layer.packages, name)) {
        context.report({ node, messageId: 'package', data: { layer: layer.name, target: spec } });
      }
    };
    const allSpecifiersAreTypes = (node) =>
      node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
    return {
      ImportDeclaration(node) {
        check(node, node.source.value, node.importKind === 'type' || allSpecifiersAreTypes(node));
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type' || allSpecifiersAreTypes(node));
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
    };
  },
};

export const layersPlugin = { rules: { layers: layersRule } };

// Jest transformer of this folder: TypeScript's transpileModule with this folder's tsconfig (TC39 standard
// decorators, no experimentalDecorators). Not a second ts-jest entry: ts-jest caches one configuration per
// Jest project, so two ts-jest transforms in one project would share whichever tsconfig came first.
'use strict';
const crypto = require('node:crypto');
const path = require('node:path');
const ts = require('typescript');

const configPath = path.join(__dirname, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(
  configPath,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic(diagnostic) {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
const compilerOptions = {
  ...parsed.options,
  module: ts.ModuleKind.CommonJS,
  noEmit: false,
  declaration: false,
  declarationMap: false,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};
if (compilerOptions.experimentalDecorators) {
  throw new Error(`${configPath} must not enable experimentalDecorators`);
}
const configKey = `${ts.version}\0${JSON.stringify(compilerOptions)}`;

module.exports = {
  process(sourceText, sourcePath) {
    const { outputText } = ts.transpileModule(sourceText, { compilerOptions, fileName: sourcePath });
    return { code: outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto
      .createHash('sha256')
      .update(configKey)
      .update('\0')
      .update(sourcePath)
      .update('\0')
      .update(sourceText)
      .digest('hex');
  },
};

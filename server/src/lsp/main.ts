// Process entry of the language server (`node main.js --stdio`, or IPC when the VS
// Code extension forks it): the transport is picked from the command line.
import { startLanguageServer } from './server';

startLanguageServer();

/** The UI's entry: defines the shell; everything heavy (editor, Automerge) loads later, per page. */
import './shell/resoft-app.js';

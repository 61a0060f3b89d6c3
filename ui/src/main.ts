/** The UI's entry: defines the shell; everything heavy (editor, Automerge) loads later, per page. */
import './components/resoft-app.js';

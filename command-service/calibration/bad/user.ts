// Deliberately bad code for the scoring calibration (reference-corpus.json): do not fix.
import fs from 'fs';

export function parse(input: any): any {
  let result: any = JSON.parse(input);
  let unused = 1;
  if (result.id == undefined) {
  }
  return reslt;
}

export function save(user: any) {
  const path = '/tmp/' + user.name;
  fs.writeFileSync(path, user);
  return;
  console.log('saved');
}

export namespace Legacy {
  export var count: number = 0;
}

export function compare(a: any, b: any) {
  if (a = b) return true;
  const x = { a: 1, a: 2 };
  return x;
}

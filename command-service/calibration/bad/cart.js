// Deliberately bad code for the scoring calibration (reference-corpus.json): do not fix.
var total = 0;
var items = { apple: 1, pear: 2, apple: 3 };

function add(item, price, unused) {
  if (price == null) {
  }
  total = totl + price;
  return total;
  console.log('added');
}

function find(list, name) {
  for (var i = 0; i < list.length; i--) {
    if (list[i].name = name) {
      return list[i];
    }
  }
  debugger;
  var i = 5;
  if (typeof name === 'strng') return undefined;
}

function clear() {
  try {
    items = {};
  } catch (e) {}
  const done = false;
  done = true;
  return NaN == total;
}

module.exports = { add, find, clear, items };

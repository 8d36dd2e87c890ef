/*
 * The login page's software keyboard: enters the login password by clicking or tapping instead of
 * typing, so that a key logger on the PC does not see it. The keys are laid out in a fresh random
 * order (crypto.getRandomValues) every time the page is shown. No inline script: CSP script-src 'self'.
 */
(function () {
  'use strict';

  var LOWER = 'abcdefghijklmnopqrstuvwxyz';
  var DIGITS = '0123456789';
  var SYMBOLS = '!#$%&()*+-./:;<=>?@[]^_{|}~';

  function shuffled(characters) {
    var keys = characters.split('');
    for (var i = keys.length - 1; i > 0; i--) {
      var random = new Uint32Array(1);
      window.crypto.getRandomValues(random);
      var j = random[0] % (i + 1);
      var swap = keys[i];
      keys[i] = keys[j];
      keys[j] = swap;
    }
    return keys;
  }

  function button(label, className, onPress) {
    var key = document.createElement('button');
    key.type = 'button';
    key.className = className;
    key.textContent = label;
    key.addEventListener('click', onPress);
    return key;
  }

  function build(board, field) {
    var upper = false;
    var letterKeys = [];

    function type(character) {
      if (field.maxLength > 0 && field.value.length >= field.maxLength) {
        return;
      }
      field.value += character;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }

    function row(characters, className) {
      var line = document.createElement('div');
      line.className = 'key-row ' + className;
      shuffled(characters).forEach(function (character) {
        var key = button(character, 'key', function () {
          type(key.dataset.key);
        });
        key.dataset.key = character;
        if (LOWER.indexOf(character) >= 0) {
          letterKeys.push(key);
        }
        line.appendChild(key);
      });
      board.appendChild(line);
    }

    row(DIGITS, 'digits');
    row(LOWER, 'letters');
    row(SYMBOLS, 'symbols');

    var controls = document.createElement('div');
    controls.className = 'key-row controls';
    var shift = button(board.dataset.shiftLabel || 'Shift', 'key control shift', function () {
      upper = !upper;
      shift.setAttribute('aria-pressed', String(upper));
      letterKeys.forEach(function (key) {
        var character = upper ? key.dataset.key.toUpperCase() : key.dataset.key.toLowerCase();
        key.dataset.key = character;
        key.textContent = character;
      });
    });
    shift.setAttribute('aria-pressed', 'false');
    controls.appendChild(shift);
    controls.appendChild(button(board.dataset.backspaceLabel || 'Backspace', 'key control backspace', function () {
      field.value = field.value.slice(0, -1);
    }));
    controls.appendChild(button(board.dataset.clearLabel || 'Clear', 'key control clear', function () {
      field.value = '';
    }));
    board.appendChild(controls);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.getElementById('softkeyboard-toggle');
    var board = document.getElementById('softkeyboard');
    if (!toggle || !board) {
      return;
    }
    var field = document.getElementById(board.dataset.target);
    build(board, field);
    toggle.addEventListener('click', function () {
      var opening = board.hidden;
      board.hidden = !opening;
      toggle.setAttribute('aria-expanded', String(opening));
      toggle.textContent = opening ? toggle.dataset.closeLabel : toggle.dataset.openLabel;
    });
  });
}());

'use strict';
// Bounds a hung test in its tier; no test asserts on how long anything takes.
jest.setTimeout(240000);

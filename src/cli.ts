import { main } from "./cli/main.js";

void main();

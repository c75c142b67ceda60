/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder entry point, replaced below. */
int main(void) { return 0; }

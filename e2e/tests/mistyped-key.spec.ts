// A mistyped key is caught in the browser, before any request (DOMAIN.md "Keys").
import { mistyped, sloppy } from '../support/api';
import { expect, recordRequests, test } from '../support/fixtures';
import { EN as t } from '../support/texts';
import { expectStep, keyField } from '../support/wizard';

test('a mistyped key is explained before any request is made', async ({ page, partner, checkStep }) => {
  const order = await partner.createOrder({ lines: [{ sku: 'XDR-EPS' }] });
  const key = order.key();
  const requests = recordRequests(page);
  const previews = () => requests.filter((url) => url.includes('/api/v1/preview'));

  await page.goto('/');
  await expectStep(page, t, t.enterKeyHeading, t.steps.enterKey);
  const field = keyField(page, t);
  const submit = page.getByRole('button', { name: t.keySubmit });
  const error = page.getByRole('alert').filter({ hasText: /\S/ });

  // A wrong check digit: "looks mistyped".
  await field.pressSequentially(sloppy(mistyped(key)));
  await submit.click();
  await expect(error).toHaveText(t.keyCheckFailed);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await checkStep(page, 'mistyped-key-1-check-failed');

  // A missing digit: the length.
  await field.fill(key.slice(0, -1));
  await submit.click();
  await expect(error).toHaveText(/should have 18 letters and digits .* but it has 17/);

  // A letter O for a zero: the character and where.
  const withLetter = `${key.slice(0, 3)}O${key.slice(4)}`;
  await field.fill(withLetter);
  await submit.click();
  await expect(error).toHaveText(/The character “O” is not allowed at position 3 of the key/);

  await expectStep(page, t, t.enterKeyHeading, t.steps.enterKey);
  expect(previews(), 'no preview request for a key that does not parse').toEqual([]);
  expect(requests.filter((url) => url.includes(key.slice(3, 7))), 'the key never goes into a URL').toEqual([]);

  // The right key goes through (the request listener does see previews).
  await field.fill(key);
  await expect(field).toHaveAttribute('aria-invalid', 'false');
  await submit.click();
  await expectStep(page, t, t.reviewHeading, t.steps.review);
  expect(previews()).toHaveLength(1);
});

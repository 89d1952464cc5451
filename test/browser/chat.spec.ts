import assert from 'node:assert/strict'
import { Cleanup, spawnRelay } from '#test/helpers/process.ts'
import {
  PASSPHRASE, STEP_MS, addContact, assertClean, bubble, chatButton, conversationTitle, createAccount, launchBrowser,
  log, openChat, pathLine, readInvite, serviceWorkerInControl, shownNotifications, send, serveApp, unlock, waitForApp, waitForMessage, waitForRelay, waitForTick, watch
} from './helpers.ts'
import type { WebServer } from '../../web/serve.ts'
import type { Browser, Page } from 'playwright-core'

describe('web app: two browsers through a real relay', function () {
  this.timeout(180_000)

  const cleanup = new Cleanup()
  let browser: Browser
  let server: WebServer

  before(async () => {
    const relay = await spawnRelay(cleanup)
    server = await serveApp(cleanup, [relay.wsAddr])
    browser = await launchBrowser(cleanup)
  })

  after(async () => { await cleanup.run() })

  /** Two fresh profiles with accounts, contacts of each other through their invites. */
  async function pair (a: string, b: string): Promise<{ alice: Page, bob: Page, seen: Array<ReturnType<typeof watch>> }> {
    const [alice, bob] = await Promise.all([a, b].map(async (name) => {
      const context = await browser.newContext()
      cleanup.add(async () => { await context.close() })
      return context.newPage()
    }))
    const seen = [watch(alice, a), watch(bob, b)]
    await Promise.all([createAccount(alice, server.url, a), createAccount(bob, server.url, b)])
    await Promise.all([waitForRelay(alice, 'online'), waitForRelay(bob, 'online')])
    const [aliceInvite, bobInvite] = await Promise.all([readInvite(alice), readInvite(bob)])
    await addContact(bob, aliceInvite, a)
    await addContact(alice, bobInvite, b)
    return { alice, bob, seen }
  }

  it('two browsers create accounts, exchange invites and chat both ways', async () => {
    const { alice, bob, seen } = await pair('Alice', 'Bob')

    await send(bob, 'Hello Alice, this is Bob')
    await waitForTick(bob, 'Hello Alice, this is Bob', 'Delivered')
    // Alice has Bob's chat open: the message appears live
    await waitForMessage(alice, 'Hello Alice, this is Bob')

    await send(alice, 'Hi Bob!')
    await waitForTick(alice, 'Hi Bob!', 'Delivered')
    await waitForMessage(bob, 'Hi Bob!')

    // with the chat closed, a new message shows in the list: last text and unread count
    await bob.getByRole('button', { name: 'Back to chats' }).click()
    await send(alice, 'Are you there?')
    await waitForTick(alice, 'Are you there?', 'Delivered')
    const row = chatButton(bob, 'Alice')
    await row.filter({ hasText: 'Are you there?' }).filter({ hasText: '1 unread' }).waitFor({ timeout: STEP_MS })
    await openChat(bob, 'Alice')
    await row.filter({ hasNotText: 'unread' }).waitFor({ timeout: STEP_MS })
    assert.deepEqual(await log(bob).locator('div[data-state] p').allTextContents(), ['Hello Alice, this is Bob', 'Hi Bob!', 'Are you there?'])

    // the relay only introduced them: both show a direct WebRTC link
    await Promise.all([alice, bob].map(async (page) => {
      await pathLine(page).filter({ hasText: /^Direct connection \(WebRTC\)$/ }).waitFor({ timeout: STEP_MS })
    }))
    assertClean(...seen)
  })

  it('a reloaded tab asks for the passphrase (a wrong one is refused), keeps its history, and its next message is delivered', async () => {
    const { alice, bob, seen } = await pair('Carol', 'Dave')
    await send(alice, 'before the reload')
    await waitForTick(alice, 'before the reload', 'Delivered')

    await alice.reload()
    await alice.getByRole('heading', { name: 'Welcome back, Carol' }).waitFor({ timeout: STEP_MS })
    await alice.getByLabel('Passphrase').fill('not my passphrase')
    await alice.getByRole('button', { name: 'Unlock' }).click()
    await alice.getByRole('alert').filter({ hasText: 'Wrong passphrase' }).waitFor({ timeout: STEP_MS })
    await unlock(alice, PASSPHRASE)

    await openChat(alice, 'Dave')
    await waitForTick(alice, 'before the reload', 'Delivered')
    await send(alice, 'after the reload')
    await waitForTick(alice, 'after the reload', 'Delivered')
    await waitForMessage(bob, 'after the reload')
    await send(bob, 'welcome back')
    await waitForMessage(alice, 'welcome back')
    assertClean(...seen)
  })

  it('a message with markup is shown as text and never runs', async () => {
    const { alice, bob, seen } = await pair('Erin', 'Frank')
    const xss = '<img src=x onerror=alert(1)>'
    await send(alice, xss)
    await waitForTick(alice, xss, 'Delivered')
    await waitForMessage(bob, xss)
    assert.equal(await bubble(bob, xss).locator('p').textContent(), xss)
    assert.equal(await log(bob).locator('img').count(), 0, 'no element was made from the text')
    // in the chat list preview too
    await bob.getByRole('button', { name: 'Back to chats' }).click()
    await chatButton(bob, 'Erin').filter({ hasText: xss }).waitFor({ timeout: STEP_MS })
    assert.equal(await chatButton(bob, 'Erin').locator('img').count(), 0)
    assertClean(...seen)
  })

  it('a second tab of the same profile does not start a second node, and takes over when the first closes', async () => {
    const context = await browser.newContext()
    cleanup.add(async () => { await context.close() })
    const first = await context.newPage()
    const second = await context.newPage()
    const seen = [watch(first, 'first'), watch(second, 'second')]
    await createAccount(first, server.url, 'Grace')
    await second.goto(server.url)
    await second.getByRole('heading', { name: 'Parley is open in another tab' }).waitFor({ timeout: STEP_MS })
    assert.equal(await second.getByLabel('Passphrase').count(), 0)

    await first.close()
    await second.getByRole('heading', { name: 'Welcome back, Grace' }).waitFor({ timeout: STEP_MS })
    await unlock(second)
    await waitForApp(second)
    assertClean(...seen)
  })

  it('works at 360 px wide with touch-sized controls, and opens an invite link with the form filled in', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true })
    cleanup.add(async () => { await context.close() })
    const other = await browser.newContext()
    cleanup.add(async () => { await other.close() })
    const [phone, desk] = [await context.newPage(), await other.newPage()]
    const seen = [watch(phone, 'phone'), watch(desk, 'desk')]
    await createAccount(desk, server.url, 'Heidi')
    const invite = await readInvite(desk)

    await phone.goto(`${server.url}#invite=${encodeURIComponent(invite)}`)
    await phone.getByLabel('Display name').fill('Ivan')
    await phone.getByLabel('Passphrase').fill(PASSPHRASE)
    await phone.getByRole('button', { name: 'Create account' }).click()
    // the link's invite waited through account creation
    const dialog = phone.getByRole('dialog', { name: 'Add contact' })
    await dialog.waitFor({ timeout: STEP_MS })
    assert.equal(await dialog.getByLabel('Invite', { exact: true }).inputValue(), invite)
    assert.equal(new URL(phone.url()).hash, '', 'the invite is taken out of the address bar')
    await dialog.getByRole('button', { name: 'Add', exact: true }).click()
    await conversationTitle(phone, 'Heidi').waitFor({ timeout: STEP_MS })

    const width = await phone.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 360, `no horizontal scrolling (content is ${width} px wide)`)
    for (const name of ['Back to chats', 'Send']) {
      const box = await phone.getByRole('button', { name }).boundingBox()
      assert.ok(box != null && box.width >= 44 && box.height >= 44, `${name} is at least 44×44 px (${JSON.stringify(box)})`)
    }
    const field = await phone.getByLabel('Message', { exact: true }).boundingBox()
    assert.ok(field != null && field.height >= 44, 'the message field is at least 44 px high')
    await phone.getByRole('button', { name: 'Back to chats' }).click()
    for (const name of ['Add contact', 'Share invite', 'Settings']) {
      const box = await phone.getByRole('button', { name }).boundingBox()
      assert.ok(box != null && box.width >= 44 && box.height >= 44, `${name} is at least 44×44 px`)
    }
    const row = await chatButton(phone, 'Heidi').boundingBox()
    assert.ok(row != null && row.height >= 44 && row.width <= 360)
    assertClean(...seen)
  })

  it('a message from someone who is not a contact is a request: Accept makes it a chat; a blocked sender is refused', async () => {
    const pages = await Promise.all(['Liam', 'Mia', 'Noah'].map(async (name) => {
      const context = await browser.newContext()
      cleanup.add(async () => { await context.close() })
      const page = await context.newPage()
      await createAccount(page, server.url, name)
      return page
    }))
    const [liam, mia, noah] = pages
    const seen = [watch(liam, 'Liam'), watch(mia, 'Mia'), watch(noah, 'Noah')]
    await Promise.all(pages.map(async p => { await waitForRelay(p, 'online') }))
    const liamInvite = await readInvite(liam)
    // Mia and Noah add Liam; he has not added them
    await addContact(mia, liamInvite, 'Liam')
    await addContact(noah, liamInvite, 'Liam')
    await send(mia, 'Hi Liam, we met at the conference')
    await send(noah, 'Cheap watches!!!')
    await waitForTick(mia, 'Hi Liam, we met at the conference', 'Delivered')
    await waitForTick(noah, 'Cheap watches!!!', 'Delivered')

    const requests = liam.getByRole('region', { name: 'Message requests' })
    const miaRequest = requests.getByRole('listitem', { name: 'Mia' })
    const noahRequest = requests.getByRole('listitem', { name: 'Noah' })
    await miaRequest.filter({ hasText: 'Hi Liam, we met at the conference' }).waitFor({ timeout: STEP_MS })
    await noahRequest.waitFor({ timeout: STEP_MS })
    assert.equal(await chatButton(liam, 'Mia').count(), 0, 'a request is not a chat yet')

    await miaRequest.getByRole('button', { name: 'Accept' }).click()
    await noahRequest.getByRole('button', { name: 'Block' }).click()
    await requests.waitFor({ state: 'detached', timeout: STEP_MS })
    await openChat(liam, 'Mia')
    await waitForMessage(liam, 'Hi Liam, we met at the conference')
    await send(liam, 'Hi Mia!')
    await waitForTick(liam, 'Hi Mia!', 'Delivered')
    await waitForMessage(mia, 'Hi Mia!')
    assert.equal(await chatButton(liam, 'Noah').count(), 0, 'a blocked sender is not in the chats')

    // Noah's next message is refused: it stays undelivered and never shows up at Liam's
    await send(noah, 'Are you still there?')
    await waitForTick(noah, 'Are you still there?', 'Pending')
    assert.equal(await liam.getByText('Are you still there?').count(), 0)
    assertClean(...seen)
  })

  it('notifies of a message that arrives while the tab is hidden, once allowed from a click', async () => {
    const hidden = await browser.newContext()
    cleanup.add(async () => { await hidden.close() })
    // this profile's tab is "in the background": the page reports itself hidden
    // (a string: tsx would wrap functions in a helper the page does not have)
    await hidden.addInitScript({
      content: "Object.defineProperty(document, 'visibilityState', { get () { return 'hidden' } });" +
        "Object.defineProperty(document, 'hidden', { get () { return true } })"
    })
    const other = await browser.newContext()
    cleanup.add(async () => { await other.close() })
    const [olivia, pete] = [await hidden.newPage(), await other.newPage()]
    const seen = [watch(olivia, 'Olivia'), watch(pete, 'Pete')]
    await createAccount(olivia, server.url, 'Olivia')
    await createAccount(pete, server.url, 'Pete')
    await Promise.all([waitForRelay(olivia, 'online'), waitForRelay(pete, 'online')])
    await addContact(pete, await readInvite(olivia), 'Olivia')
    await addContact(olivia, await readInvite(pete), 'Pete')
    await olivia.getByRole('button', { name: 'Back to chats' }).click()
    await olivia.getByRole('button', { name: 'Settings' }).click()
    // the user says yes when the click asks
    await hidden.grantPermissions(['notifications'], { origin: new URL(server.url).origin })
    await olivia.getByRole('button', { name: 'Enable notifications' }).click()
    await olivia.getByText('On: new messages are announced').waitFor({ timeout: STEP_MS })
    await olivia.keyboard.press('Escape')
    await serviceWorkerInControl(olivia)

    await send(pete, 'ping while you are away')
    await waitForTick(pete, 'ping while you are away', 'Delivered')
    assert.deepEqual(await shownNotifications(olivia), [['Pete', 'ping while you are away']])
    assertClean(...seen)
  })
})

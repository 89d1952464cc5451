/**
 * A mailbox remembers each device that drains for an account (its last drain,
 * for `parley mailbox status`). Device certificates cost a paired account
 * nothing to make, so that memory must be bounded per account.
 */

import assert from 'node:assert/strict'
import { MAX_RECORD_DEVICES } from '#shared/protocol/constants.ts'
import { newDevice, pair, startMailbox } from './harness.ts'

describe('mailbox: devices remembered per account', () => {
  it('stay bounded when one paired account drains from many fresh device ids', async function () {
    this.timeout(30_000)
    const h = await startMailbox()
    const bob = await newDevice()
    await pair(h, bob)
    for (let i = 0; i < 200; i++) {
      const device = await newDevice(bob.keys)
      const result = await h.client(device.peerId).drain(h.mailboxPeer, device, async () => undefined)
      assert.equal(result.status, 'OK')
      // one drain note per device: the next device's drain comes after the clock moved on
      h.clock.advance(1)
    }
    await h.service.idle()
    const devices = h.store.account(bob.accountId)?.devices.length ?? 0
    assert.ok(devices <= MAX_RECORD_DEVICES, `the mailbox remembers ${devices} devices of one account (an account record lists at most ${MAX_RECORD_DEVICES})`)
  })
})

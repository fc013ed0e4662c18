import { APIError } from 'better-auth/api'
import { describe, expect, it } from 'vitest'
import { refuseImageUpdate, refuseImageWrite } from '../../server/utils/image-guard'

// Better Auth's databaseHooks merge a hook's returned data over the original, so stripping `image` there kept it:
// the hooks must refuse (throw) instead.
describe('the image guard behind Better Auth', () => {
  it('refuses a user created with an image', () => {
    expect(() => refuseImageWrite({ image: 'someone-elses-key' })).toThrow(APIError)
    expect(() => refuseImageWrite({ image: 'someone-elses-key' })).toThrow(/profile image cannot be set here/)
  })

  it('lets a user be created without one', () => {
    expect(() => refuseImageWrite({})).not.toThrow()
    expect(() => refuseImageWrite({ image: null })).not.toThrow()
  })

  it('refuses any update that touches image, even clearing it', () => {
    for (const image of ['someone-elses-key', null, '']) {
      expect(() => refuseImageUpdate({ name: 'Ann', image })).toThrow(APIError)
    }
    expect(() => refuseImageUpdate({ name: 'Ann', updatedAt: new Date() })).not.toThrow()
    // Better Auth's update-user passes every user field it knows, unset ones as undefined.
    expect(() => refuseImageUpdate({ name: 'Ann', image: undefined })).not.toThrow()
  })
})

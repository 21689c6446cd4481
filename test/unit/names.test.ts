// Russian names declined and verbs agreed with the person's gender (the portal's PERSONAL_GENDER
// first, then the name), e.g. «вместо Андрея Лебедева», «Согласовала».
import { describe, expect, it } from 'vitest'
import { agree, declineName, genderOf, genderOfField } from '../../src/domain/names.ts'

describe('names', () => {
  it('declines a full name', () => {
    expect(declineName('Андрей Лебедев', 'genitive')).toBe('Андрея Лебедева')
    expect(declineName('Елена Соколова', 'genitive')).toBe('Елены Соколовой')
    expect(declineName('Николай Егоров', 'dative')).toBe('Николаю Егорову')
    // A surname that does not decline stays; the field's gender wins over guessing.
    expect(declineName('Ирина Белых', 'genitive', 'female')).toBe('Ирины Белых')
  })

  it('leaves what is not a Russian "Имя Фамилия" as it is', () => {
    expect(declineName('#12', 'genitive')).toBe('#12')
    expect(declineName('john@example.com', 'genitive')).toBe('john@example.com')
    expect(declineName('John Smith', 'genitive')).toBe('John Smith')
  })

  it('takes the gender from the portal field, else from the name', () => {
    expect(genderOfField('F')).toBe('female')
    expect(genderOfField('')).toBe(null)
    expect(genderOf('Мария Козлова')).toBe('female')
    expect(genderOf('Сергей Морозов')).toBe('male')
    expect(genderOf('Саша Ким', 'male')).toBe('male')
    expect(genderOf('#5')).toBe(null)
  })

  it('agrees «(а)» endings with the gender, and keeps them when unknown', () => {
    expect(agree('Согласовал(а)', 'female')).toBe('Согласовала')
    expect(agree('уже согласовал(а) в круге 1', 'male')).toBe('уже согласовал в круге 1')
    expect(agree('Согласовал(а)', null)).toBe('Согласовал(а)')
    expect(agree('approved', 'female')).toBe('approved')
  })
})

import faker

print(faker.Faker().name())

import 'reflect-metadata';
import { SpanKind } from '@opentelemetry/api';
import { Container, inject, injectable } from 'inversify';
import { SpanTag, Traced, Untraced } from '@tracery/core';
import { idOf, installInMemoryPipeline, parentOf, type InMemoryPipeline } from '../support/inMemoryPipeline';

let pipeline: InMemoryPipeline;
beforeAll(() => (pipeline = installInMemoryPipeline()));
afterEach(() => pipeline.reset());
afterAll(() => pipeline.uninstall());

const names = () => pipeline.spans().map((span) => span.name);

describe('Traced on a class', () => {
  describe('when the class has plain methods, accessors, a constructor and static methods', () => {
    @Traced()
    class Inventory {
      private count = 0;
      constructor() {
        this.count = 1;
      }
      add(n: number) {
        this.count += n;
        return this.count;
      }
      async load() {
        return this.helper();
      }
      helper() {
        return 'helped';
      }
      get size() {
        return this.count;
      }
      set size(value: number) {
        this.count = value;
      }
      static create() {
        return new Inventory();
      }
    }

    it('traces every own method of the prototype, named Class.method', async () => {
      const inventory = new Inventory();
      expect(inventory.add(2)).toBe(3);
      await expect(inventory.load()).resolves.toBe('helped');
      expect(names()).toEqual(['Inventory.add', 'Inventory.helper', 'Inventory.load']);
      expect(parentOf(pipeline.span('Inventory.helper'))).toBe(idOf(pipeline.span('Inventory.load')));
    });

    it('leaves the constructor, getters, setters and static methods untraced', () => {
      const inventory = Inventory.create();
      inventory.size = 5;
      expect(inventory.size).toBe(5);
      expect(names()).toEqual([]);
    });
  });

  describe('when asked to trace static methods', () => {
    @Traced({ static: true, kind: SpanKind.SERVER })
    class Factory {
      static make() {
        return new Factory().build();
      }
      build() {
        return 'built';
      }
    }

    it('traces them too, with the class options', () => {
      expect(Factory.make()).toBe('built');
      expect(names()).toEqual(['Factory.build', 'Factory.make']);
      expect(pipeline.span('Factory.make').kind).toBe(SpanKind.SERVER);
    });
  });

  describe('when a method is marked @Untraced()', () => {
    @Traced()
    class Repository {
      find(id: string) {
        return this.ping() + id;
      }
      @Untraced()
      ping() {
        return 'pong:';
      }
    }

    it('runs that method untraced and the others traced', () => {
      expect(new Repository().find('1')).toBe('pong:1');
      expect(names()).toEqual(['Repository.find']);
    });
  });

  describe('when a method has its own @Traced', () => {
    @Traced({ attributes: { layer: 'class' } })
    class Mixed {
      @Traced({ name: 'custom.name', attributes: { layer: 'method' } })
      own() {
        return 1;
      }
      inherited() {
        return 2;
      }
    }

    it('uses the method options and makes exactly one span', () => {
      new Mixed().own();
      expect(names()).toEqual(['custom.name']);
      expect(pipeline.span('custom.name').attributes).toEqual({ layer: 'method' });
    });

    it('gives the other methods the class options', () => {
      new Mixed().inherited();
      expect(pipeline.span('Mixed.inherited').attributes).toEqual({ layer: 'class' });
    });
  });

  describe('when the class name option is given', () => {
    @Traced('Billing')
    class BillingServiceImpl {
      charge() {
        return true;
      }
    }

    it('uses it as the class part of each span name', () => {
      new BillingServiceImpl().charge();
      expect(names()).toEqual(['Billing.charge']);
    });
  });

  describe('when methods have @SpanTag parameters but no @Traced of their own', () => {
    @Traced()
    class Users {
      find(@SpanTag('user.id') id: string) {
        return id;
      }
    }

    it('tags the spans the class-level @Traced makes', () => {
      new Users().find('u-1');
      expect(pipeline.span('Users.find').attributes['user.id']).toBe('u-1');
    });
  });

  describe('when the class is subclassed', () => {
    @Traced()
    class Base {
      base() {
        return 'base';
      }
    }
    class Derived extends Base {
      own() {
        return 'own';
      }
    }

    it('traces the inherited methods under the declaring class name only', () => {
      const derived = new Derived();
      derived.base();
      derived.own();
      expect(names()).toEqual(['Base.base']);
    });
  });

  describe('when the class is an inversify service', () => {
    @injectable()
    class Repo {
      load() {
        return 'row';
      }
    }

    @Traced()
    @injectable()
    class Handler {
      constructor(@inject(Repo) private readonly repo: Repo) {}
      handle() {
        return this.repo.load();
      }
    }

    it('is resolved with its dependencies and traced', () => {
      const container = new Container();
      container.bind(Repo).toSelf();
      container.bind(Handler).toSelf();
      expect(container.get(Handler).handle()).toBe('row');
      expect(names()).toEqual(['Handler.handle']);
    });
  });
});
